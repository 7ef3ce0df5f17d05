import AdLabTensor
import Testing

// Reference values live in Fixtures/tensor_fixture.json, generated once with numpy 2.4.6:
//
//     cd Tests/AdLabTensorTests/Fixtures
//     python3 make_tensor_fixture.py > tensor_fixture.json
//
// The script stores its random inputs next to numpy's outputs. The fixture is loaded relative to #filePath, so
// no resource bundle is needed. Tolerances are relative, 1e-12 (float64, different summation orders).
struct TensorFixtureTests {
  let f = TensorTestSupport.fixture

  @Test func broadcastingArithmetic() throws {
    let a = f("broadcast.a")
    let b = f("broadcast.b")
    #expect(TensorTestSupport.isClose(try a + b, f("broadcast.add")))
    #expect(TensorTestSupport.isClose(try a - b, f("broadcast.sub")))
    #expect(TensorTestSupport.isClose(try a * b, f("broadcast.mul")))
    #expect(TensorTestSupport.isClose(try a / b, f("broadcast.div")))
    #expect(try a.greater(b - 3) == f("broadcast.greater"))
    #expect(TensorTestSupport.isClose(try f("broadcast.row") - a, f("broadcast.row_sub")))
    #expect(TensorTestSupport.isClose(try (a * 1).sum(toShape: [3, 1]), f("broadcast.sum_to_3x1")))
  }

  @Test func reductions() throws {
    let x = f("reduce.x")
    for axis in 0..<3 {
      #expect(TensorTestSupport.isClose(try x.sum(axis: axis), f("reduce.sum\(axis)")))
    }
    #expect(TensorTestSupport.isClose(try x.mean(axis: 1), f("reduce.mean1")))
    #expect(try x.max(axis: 2) == f("reduce.max2"))
    #expect(try x.argmax(axis: 1) == f.indices["reduce.argmax1"])
    #expect(TensorTestSupport.isClose(try x.logSumExp(axis: 2), f("reduce.logsumexp2")))
    #expect(TensorTestSupport.isClose(x.sum(), f("reduce.sum_all")))
  }

  @Test func matrixProducts() throws {
    let a = f("matmul.a")
    let b = f("matmul.b")
    #expect(TensorTestSupport.isClose(try a.matmul(b), f("matmul.ab")))
    #expect(TensorTestSupport.isClose(try a.transposed().matmul(a), f("matmul.ata")))
    #expect(TensorTestSupport.isClose(try f("bmm.a").batchedMatmul(f("bmm.b")), f("bmm.ab")))
    #expect(TensorTestSupport.isClose(try f("bmm.a").batchedMatmul(b), f("bmm.ab_shared")))
  }

  @Test func softmaxFamily() throws {
    let x = f("softmax.x")
    for axis in [-1, 0] {
      #expect(TensorTestSupport.isClose(try x.softmax(axis: axis), f("softmax.axis\(axis)")))
      #expect(TensorTestSupport.isClose(try x.logSoftmax(axis: axis), f("logsoftmax.axis\(axis)")))
    }
  }

  @Test func layerNorm() throws {
    let y = try f("layernorm.x").layerNorm(gamma: f("layernorm.gamma"), beta: f("layernorm.beta"), epsilon: 1e-5)
    #expect(TensorTestSupport.isClose(y, f("layernorm.y"), tolerance: 1e-11))
  }

  @Test func activations() {
    let x = f("act.x")
    #expect(x.relu() == f("act.relu"))
    #expect(TensorTestSupport.isClose(x.sigmoid(), f("act.sigmoid"), tolerance: 1e-14))
    #expect(TensorTestSupport.isClose(x.tanh(), f("act.tanh"), tolerance: 1e-14))
    #expect(TensorTestSupport.isClose(x.gelu(), f("act.gelu"), tolerance: 1e-14))
  }

  @Test func gatherAndScatter() throws {
    let table = f("gather.table")
    let rows = try #require(f.indices["gather.rows"])
    #expect(try table.gather(rows: rows) == f("gather.result"))
    var scattered = table
    try scattered.scatterAdd(rows: rows, values: f("scatter.updates"))
    #expect(TensorTestSupport.isClose(scattered, f("scatter.result")))
    #expect(table == f("gather.table"))  // copy-on-write: the original is untouched
  }

  @Test func concatenation() throws {
    #expect(try Tensor.concatenate([f("concat.a"), f("concat.b")], axis: 1) == f("concat.axis1"))
    #expect(try Tensor.concatenate([f("concat.a"), f("concat.c")], axis: 0) == f("concat.axis0"))
  }
}
