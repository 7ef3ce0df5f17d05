import AdLabTensor

/// A multilayer perceptron Q(s, ·) on the tensor core: ReLU hidden layers, a linear output with one value per
/// action. Weights are Glorot-uniform from the policy's seeded stream, biases zero.
struct QNetwork {
  let sizes: [Int]
  /// Weight and bias of each layer, in order: W₀, b₀, W₁, b₁, …
  var parameters: [Tensor<Float>]

  init(sizes: [Int], key: StreamKey) {
    precondition(
      sizes.count >= 2 && sizes.allSatisfy { $0 > 0 }, "QNetwork: need positive input, hidden and output sizes")
    self.sizes = sizes
    var parameters: [Tensor<Float>] = []
    for l in 0..<(sizes.count - 1) {
      parameters.append(Tensor(shape: [sizes[l], sizes[l + 1]], initializer: .glorotUniform, key: key.child(l)))
      parameters.append(Tensor.zeros([sizes[l + 1]]))
    }
    self.parameters = parameters
  }

  /// The forward pass on a tape: `input` is `[rows, sizes[0]]`, the result `[rows, actions]`.
  func forward(_ input: Variable<Float>, _ p: [Variable<Float>]) throws -> Variable<Float> {
    var h = input
    let layers = sizes.count - 1
    for l in 0..<layers {
      h = try h.matmul(p[2 * l]) + p[2 * l + 1]
      if l < layers - 1 { h = h.relu() }
    }
    return h
  }

  /// Q-values of `input` without gradients, row-major `[rows, actions]`.
  func values(_ input: Tensor<Float>) -> [Float] {
    let tape = Tape<Float>()
    do {
      return try forward(tape.constant(input), parameters.map { tape.constant($0) }).value.scalars
    } catch {
      preconditionFailure("QNetwork: \(error)")  // shapes are fixed at construction
    }
  }
}
