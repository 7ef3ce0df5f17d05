import AdLabTensor
import Foundation
import Testing

/// Hand-derived small cases: creation, views, copy-on-write, element-wise ops, reductions and error messages.
struct TensorCoreTests {
  let m = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])

  @Test func creationAndSubscripts() {
    #expect(m.shape == [2, 3] && m.strides == [3, 1] && m.count == 6 && m.rank == 2)
    #expect(m[1, 2] == 6)
    #expect(Tensor<Double>(scalar: 2.5).scalar == 2.5)
    #expect(Tensor<Float>.zeros([2, 2]).scalars == [0, 0, 0, 0])
    #expect(Tensor<Float>.ones([3]).scalars == [1, 1, 1])
  }

  @Test func copyOnWrite() {
    var copy = m
    copy[0, 0] = 100
    #expect(m[0, 0] == 1 && copy[0, 0] == 100)
    var view = m.transposed()
    view[0, 1] = -1  // writing a view copies it first
    #expect(view.isContiguous && view.scalars == [1, -1, 2, 5, 3, 6] && m[1, 0] == 4)
  }

  @Test func views() throws {
    let t = m.transposed()
    #expect(t.shape == [3, 2] && !t.isContiguous && t.scalars == [1, 4, 2, 5, 3, 6])
    #expect(try m.slice(axis: 1, 1..<3).scalars == [2, 3, 5, 6])
    #expect(try m.slice(axis: 0, 1..<2).scalars == [4, 5, 6])
    #expect(try m.reshaped([3, -1]).shape == [3, 2])
    #expect(try m.transposed().reshaped([6]).scalars == [1, 4, 2, 5, 3, 6])
    let cube = Tensor<Float>(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(try cube.permuted([2, 0, 1]).scalars == [1, 4, 2, 5, 3, 6])
    #expect(try Tensor<Float>([1, 2]).broadcasted(to: [2, 2]).scalars == [1, 2, 1, 2])
    #expect(try Tensor<Float>([7]).expandingShape(at: 0).shape == [1, 1])
  }

  @Test func elementwiseAndBroadcasting() throws {
    let row = Tensor<Float>([10, 20, 30])
    let column = Tensor<Float>(shape: [2, 1], scalars: [1, 2])
    #expect(try (m + row).scalars == [11, 22, 33, 14, 25, 36])
    #expect(try (row - m).scalars == [9, 18, 27, 6, 15, 24])
    #expect(try (m * column).scalars == [1, 2, 3, 8, 10, 12])
    #expect(try (column + row).scalars == [11, 21, 31, 12, 22, 32])  // [2,1] + [3] -> [2,3]
    #expect(try (m / column).scalars == [1, 2, 3, 2, 2.5, 3])
    #expect((m * 2).scalars == [2, 4, 6, 8, 10, 12])
    #expect((1 - m).scalars == [0, -1, -2, -3, -4, -5])
    #expect((12 / m).scalars == [12, 6, 4, 3, 2.4, 2])
    #expect((-m).scalars == [-1, -2, -3, -4, -5, -6])
    #expect(m.greater(3).scalars == [0, 0, 0, 1, 1, 1])
    #expect(try m.lessEqual(column * 3).scalars == [1, 1, 1, 1, 1, 1])
    #expect(try m.equal(m.transposed().transposed()).scalars == [1, 1, 1, 1, 1, 1])
    #expect(try m.maximum(Tensor(scalar: 3.5)).scalars == [3.5, 3.5, 3.5, 4, 5, 6])
  }

  @Test func activationsByHand() {
    let x = Tensor<Double>([-2, 0, 3])
    #expect(x.relu().scalars == [0, 0, 3])
    #expect(x.sigmoid().scalars[1] == 0.5)
    #expect(abs(x.sigmoid().scalars[2] - 1 / (1 + exp(-3.0))) < 1e-16)
    #expect(Tensor<Double>([-1000, 1000]).sigmoid().scalars == [0, 1])  // no overflow
    #expect(x.gelu().scalars[1] == 0)
    #expect(abs(Tensor<Double>([1]).gelu().scalar - 0.8413447460685429) < 1e-15)  // Φ(1)
  }

  @Test func reductionsByHand() throws {
    #expect(try m.sum(axis: 0).scalars == [5, 7, 9])
    #expect(try m.sum(axis: -1, keepDims: true).shape == [2, 1])
    #expect(try m.sum(axes: [0, 1]).scalars == [21])
    #expect(m.sum().scalar == 21 && m.mean().scalar == 3.5)
    #expect(try m.mean(axis: 1).scalars == [2, 5])
    #expect(try m.max(axis: 0).scalars == [4, 5, 6])
    #expect(try Tensor<Float>(shape: [2, 3], scalars: [1, 5, 5, 7, 0, 7]).argmax(axis: 1) == [1, 0])  // first max
    let lse = try Tensor<Double>(shape: [1, 2], scalars: [0, 0]).logSumExp(axis: 1).scalar
    #expect(abs(lse - log(2.0)) < 1e-15)
    #expect(try Tensor<Double>([1000, 1000]).logSumExp(axis: 0).scalar == 1000 + log(2.0))  // stable
  }

  @Test func matmulByHand() throws {
    let b = Tensor<Float>(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
    #expect(try m.matmul(b).scalars == [4, 5, 10, 11])
    #expect(try m.matmul(m.transposed()).scalars == [14, 32, 32, 77])
    #expect(try m.transposed().matmul(m).shape == [3, 3])
    let stacked = try Tensor.concatenate([m.expandingShape(at: 0), (m * 2).expandingShape(at: 0)], axis: 0)
    #expect(try stacked.batchedMatmul(b).scalars == [4, 5, 10, 11, 8, 10, 20, 22])
  }

  @Test func softmaxAndLayerNormByHand() throws {
    let s = try Tensor<Double>([0, log(3.0)]).softmax()
    #expect(abs(s.scalars[0] - 0.25) < 1e-15 && abs(s.scalars[1] - 0.75) < 1e-15)
    let ls = try Tensor<Double>([0, log(3.0)]).logSoftmax()
    #expect(abs(ls.scalars[0] - log(0.25)) < 1e-15)
    let ln = try Tensor<Double>([1, 3]).layerNorm(gamma: Tensor([2, 2]), beta: Tensor([1, 1]), epsilon: 0)
    #expect(ln.scalars == [-1, 3])  // (x − 2) / 1 · 2 + 1
  }

  @Test func gatherScatterByHand() throws {
    var table = Tensor<Float>(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21])
    #expect(try table.gather(rows: [2, 0, 2]).scalars == [20, 21, 0, 1, 20, 21])
    try table.scatterAdd(rows: [1, 1], values: Tensor(shape: [2, 2], scalars: [1, 1, 2, 2]))
    #expect(table.scalars == [0, 1, 13, 14, 20, 21])
  }

  @Test func dropoutIsSeededAndScaled() {
    let ones = Tensor<Float>.ones([1000])
    var s1 = RandomStream(key: StreamKey(seed: 5).child("dropout"))
    var s2 = RandomStream(key: StreamKey(seed: 5).child("dropout"))
    let a = ones.dropout(probability: 0.25, stream: &s1)
    let b = ones.dropout(probability: 0.25, stream: &s2)
    #expect(a == b)
    #expect(a.scalars.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3.0) < 1e-6 })
    let kept = a.scalars.filter { $0 != 0 }.count
    #expect(kept > 700 && kept < 800)
  }

  // MARK: - Errors

  @Test func errorMessagesNameOpAndBothShapes() {
    let a = Tensor<Float>(shape: [3, 4])
    let b = Tensor<Float>(shape: [5, 2])
    let matmul = #expect(throws: TensorError.self) { try a.matmul(b) }
    #expect(matmul?.description == "matmul: shapes [3, 4] and [5, 2] do not align (4 ≠ 5)")
    let add = #expect(throws: TensorError.self) { try Tensor<Float>(shape: [2, 3]) + Tensor<Float>(shape: [4]) }
    #expect(add?.description == "add: shapes [2, 3] and [4] cannot be broadcast (3 ≠ 4 at axis -1)")
    #expect(throws: TensorError.invalidAxis(op: "sum", axis: 2, shape: [3, 4])) { try a.sum(axis: 2) }
    #expect(throws: TensorError.indexOutOfRange(op: "gather", index: 3, bound: 3)) {
      try a.gather(rows: [0, 3])
    }
    #expect(throws: TensorError.self) { try a.reshaped([5, 3]) }
    #expect(throws: TensorError.self) { try Tensor<Float>.concatenate([a, b], axis: 0) }
    #expect(throws: TensorError.self) {
      try a.layerNorm(gamma: Tensor(shape: [3]), beta: Tensor(shape: [4]))
    }
    #expect(throws: TensorError.self) {
      try Tensor<Float>(shape: [2, 3, 4]).batchedMatmul(Tensor(shape: [3, 4, 5]))
    }
  }
}
