import AdLabTensor
import Testing

/// Every differentiable operation against central finite differences, in Double.
///
/// Each case builds `f` on the tape; the checker differentiates `sum(f(x) · R)` for a fixed random R and compares
/// each input element's gradient with `(L(x + h) − L(x − h)) / 2h`, h = 1e-6. Inputs avoid kinks (ReLU at 0, ties
/// in max) where the derivative is not defined.
struct GradientCheckTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let inputs: [Tensor<Double>]
    let body: @Sendable ([Variable<Double>]) throws -> Variable<Double>
    var testDescription: String { name }
  }

  static func r(_ shape: [Int], _ seed: UInt64, _ scale: Double = 1) -> Tensor<Double> {
    TensorTestSupport.random(shape, seed: seed, scale: scale)
  }

  static let cases: [Case] = [
    Case(name: "add (broadcast)", inputs: [r([2, 3], 1), r([3], 2)]) { try $0[0] + $0[1] },
    Case(name: "subtract (broadcast)", inputs: [r([2, 1], 3), r([2, 4], 4)]) { try $0[0] - $0[1] },
    Case(name: "multiply (broadcast)", inputs: [r([2, 3, 4], 5), r([3, 1], 6)]) { try $0[0] * $0[1] },
    Case(name: "divide (broadcast)", inputs: [r([2, 3], 7), r([3], 8) + 3]) { try $0[0] / $0[1] },
    Case(name: "scalar ops", inputs: [r([4], 9)]) { (2 - $0[0] * 3 + 1) / 4 },
    Case(name: "negate", inputs: [r([3], 10)]) { -$0[0] },
    Case(name: "exp", inputs: [r([5], 11)]) { $0[0].exp() },
    Case(name: "log", inputs: [r([5], 12).squared() + 0.5]) { $0[0].log() },
    Case(name: "square", inputs: [r([5], 13)]) { $0[0].squared() },
    Case(name: "relu", inputs: [r([6], 14)]) { $0[0].relu() },
    Case(name: "sigmoid", inputs: [r([6], 15, 3)]) { $0[0].sigmoid() },
    Case(name: "tanh", inputs: [r([6], 16)]) { $0[0].tanh() },
    Case(name: "gelu", inputs: [r([6], 17, 2)]) { $0[0].gelu() },
    Case(name: "matmul", inputs: [r([3, 4], 18), r([4, 2], 19)]) { try $0[0].matmul($0[1]) },
    Case(name: "matmul of transposed", inputs: [r([4, 3], 20), r([2, 4], 21)]) {
      try $0[0].transposed().matmul($0[1].transposed())
    },
    Case(name: "batchedMatmul", inputs: [r([2, 3, 4], 22), r([2, 4, 2], 23)]) { try $0[0].batchedMatmul($0[1]) },
    Case(name: "batchedMatmul shared rhs", inputs: [r([2, 3, 4], 24), r([4, 2], 25)]) {
      try $0[0].batchedMatmul($0[1])
    },
    Case(name: "sum all", inputs: [r([2, 3], 26)]) { $0[0].sum() },
    Case(name: "mean all", inputs: [r([2, 3], 27)]) { $0[0].mean() },
    Case(name: "sum axis", inputs: [r([2, 3, 4], 28)]) { try $0[0].sum(axis: 1) },
    Case(name: "sum axis keepDims", inputs: [r([2, 3], 29)]) { try $0[0].sum(axis: 0, keepDims: true) },
    Case(name: "mean axis", inputs: [r([2, 3, 4], 30)]) { try $0[0].mean(axis: 2) },
    Case(name: "max axis", inputs: [r([3, 4], 31)]) { try $0[0].max(axis: 1) },
    Case(name: "logSumExp", inputs: [r([3, 4], 32, 2)]) { try $0[0].logSumExp(axis: 0) },
    Case(name: "softmax", inputs: [r([3, 4], 33, 2)]) { try $0[0].softmax(axis: -1) },
    Case(name: "softmax axis 0", inputs: [r([3, 4], 34, 2)]) { try $0[0].softmax(axis: 0) },
    Case(name: "logSoftmax", inputs: [r([3, 5], 35, 2)]) { try $0[0].logSoftmax() },
    Case(name: "layerNorm", inputs: [r([4, 5], 36, 2), r([5], 37), r([5], 38)]) {
      try $0[0].layerNorm(gamma: $0[1], beta: $0[2])
    },
    Case(name: "gather (leaf, row-sparse)", inputs: [r([5, 3], 39)]) { try $0[0].gather(rows: [4, 1, 4, 0]) },
    Case(name: "gather (interior)", inputs: [r([5, 3], 40)]) { try ($0[0] * 2).gather(rows: [2, 2, 3]) },
    Case(name: "concatenate", inputs: [r([2, 3], 41), r([2, 2], 42)]) {
      try Variable.concatenate([$0[0], $0[1]], axis: 1)
    },
    Case(name: "reshape", inputs: [r([2, 3], 43)]) { try $0[0].reshaped([3, 2]) * 1 },
    Case(name: "permute", inputs: [r([2, 3, 4], 44)]) { try $0[0].permuted([2, 0, 1]) },
    Case(name: "slice", inputs: [r([4, 3], 45)]) { try $0[0].slice(axis: 0, 1..<3) },
    Case(name: "broadcasted", inputs: [r([3, 1], 46)]) { try $0[0].broadcasted(to: [2, 3, 4]) },
    Case(name: "sigmoidCrossEntropy", inputs: [r([4, 2], 47, 3)]) {
      try $0[0].sigmoidCrossEntropy(targets: Tensor(shape: [4, 2], scalars: [1, 0, 0, 1, 1, 1, 0, 0]))
    },
    Case(name: "meanSquaredError", inputs: [r([3, 2], 48)]) {
      try $0[0].meanSquaredError(targets: GradientCheckTests.r([3, 2], 49))
    },
    Case(name: "composite MLP", inputs: [r([4, 3], 50), r([3, 5], 51), r([5], 52), r([5, 1], 53)]) {
      let hidden = try ($0[0].matmul($0[1]) + $0[2]).tanh()
      return try hidden.matmul($0[3]).sigmoid()
    },
    Case(name: "shared input used twice", inputs: [r([3], 54)]) { try $0[0] * $0[0].exp() + $0[0] },
  ]

  @Test(arguments: cases)
  func matchesFiniteDifferences(_ testCase: Case) throws {
    let error = try TensorTestSupport.maxGradientError(testCase.inputs, testCase.body)
    #expect(error < 1e-7, "\(testCase.name): relative error \(error)")
  }

  @Test func dropoutGradientIsTheMask() throws {
    let tape = Tape<Double>()
    let x = tape.variable(Self.r([100], 60))
    var stream = RandomStream(key: StreamKey(seed: 1))
    let y = x.dropout(probability: 0.5, stream: &stream)
    let g = try tape.gradients(of: y.sum())
    let gx = try #require(g[x])
    let expectedMask = try y.value / x.value
    #expect(TensorTestSupport.isClose(gx, expectedMask))
  }

  @Test func gatherOnALeafGivesRowSparseGradients() throws {
    let tape = Tape<Double>()
    let table = tape.variable(Self.r([6, 2], 61))
    let y = try table.gather(rows: [5, 1, 5]).sum()
    let g = try tape.gradients(of: y)
    let rows = try #require(g.rowSparse(table))
    #expect(rows.indices == [1, 5])
    #expect(rows.values.scalars == [1, 1, 2, 2])
    #expect(g[table]?.scalars == [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 2, 2])
    if case .rows = g.parameterGradient(table) {} else { Issue.record("expected a row gradient") }
  }

  @Test func constantsGetNoGradient() throws {
    let tape = Tape<Double>()
    let x = tape.constant(Self.r([3], 62))
    let w = tape.variable(Self.r([3], 63))
    let g = try tape.gradients(of: (try x * w).sum())
    #expect(g[x] == nil)
    #expect(g[w] == x.value)
  }

  @Test func nonScalarOutputNeedsASeed() {
    let tape = Tape<Double>()
    let w = tape.variable(Self.r([3], 64))
    #expect(throws: TensorError.self) { try tape.gradients(of: w * 2) }
  }
}
