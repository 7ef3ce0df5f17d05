import AdLabTensor
import Testing

/// Results must not depend on the thread count: reductions, matrix products and a whole training step give the
/// same bits with 1, 2 and 7 threads (sizes are above the parallel kernels' chunk
/// size of 32,768 elements, so the element-wise kernels really split)..
struct DeterminismTests {
  static func bits(_ t: Tensor<Float>) -> [UInt32] { t.scalars.map(\.bitPattern) }

  static func reductionsAndProducts() throws -> [[UInt32]] {
    let x = Tensor<Float>(
      shape: [200, 200], initializer: .normal(mean: 0, standardDeviation: 1), key: StreamKey(seed: 3))
    let w = Tensor<Float>(shape: [200, 16], initializer: .glorotUniform, key: StreamKey(seed: 4))
    return [
      bits(x.sum()), bits(try x.sum(axis: 0)), bits(try x.sum(axis: 1)), bits(try x.mean(axis: 0)),
      bits(try x.logSumExp(axis: 1)), bits(try x.softmax()), bits(try x.max(axis: 0)),
      bits(try x.matmul(w)), bits(try x.transposed().matmul(x)), bits(try (x * x + 1).sqrtAndRelu()),
    ]
  }

  /// Two Adam steps of a 32-128-128-1 ReLU MLP on a batch of 272 (hidden activations: 34,816 elements, two
  /// chunks of the parallel element-wise kernels); returns every parameter's bits.
  static func trainingSteps() throws -> [[UInt32]] {
    let key = StreamKey(seed: 11)
    var parameters: [Tensor<Float>] = []
    let sizes = [32, 128, 128, 1]
    for layer in 0..<3 {
      parameters.append(
        Tensor(shape: [sizes[layer], sizes[layer + 1]], initializer: .heUniform, key: key.child(layer)))
      parameters.append(Tensor.zeros([sizes[layer + 1]]))
    }
    let inputs = Tensor<Float>(
      shape: [272, 32], initializer: .normal(mean: 0, standardDeviation: 1), key: key.child("x"))
    let targets = try inputs.sum(axis: 1, keepDims: true).greater(0)
    var optimizer = Adam<Float>(learningRate: 0.01)
    for _ in 0..<2 {
      let gradients: [ParameterGradient<Float>] = try {
        let tape = Tape<Float>()
        let variables = parameters.map { tape.variable($0) }
        var h = tape.constant(inputs)
        for layer in 0..<3 {
          h = try h.matmul(variables[2 * layer]) + variables[2 * layer + 1]
          if layer < 2 { h = h.relu() }
        }
        let g = try tape.gradients(of: try h.sigmoidCrossEntropy(targets: targets))
        return variables.map { g.parameterGradient($0) }
      }()
      optimizer.update(&parameters, gradients: gradients)
    }
    return parameters.map(bits)
  }

  @Test func reductionsAreThreadInvariant() throws {
    let reference = try TensorParallelism.$threads.withValue(1) { try Self.reductionsAndProducts() }
    for threads in [2, 7] {
      let other = try TensorParallelism.$threads.withValue(threads) { try Self.reductionsAndProducts() }
      #expect(other == reference, "threads \(threads)")
    }
  }

  @Test func trainingStepIsThreadInvariant() throws {
    let reference = try TensorParallelism.$threads.withValue(1) { try Self.trainingSteps() }
    for threads in [2, 7] {
      let other = try TensorParallelism.$threads.withValue(threads) { try Self.trainingSteps() }
      #expect(other == reference, "threads \(threads)")
    }
  }
}

extension Tensor {
  fileprivate func sqrtAndRelu() -> Tensor { squareRoot().relu() }
}
