import Testing

@testable import AdLabTensor

/// The Float ops that run `VectorKernels` in the FMA classes (forward and, for GELU, backward) have the right
/// gradients in every class: the tape's Float gradient of `sum(f(x) · R)` against central differences of the
/// same op in Double.
struct VectorGradientTests {
  static let ops = ["gelu", "sigmoid", "tanh", "exp", "log", "softmax", "logSoftmax", "layerNorm"]

  static func apply<S: TensorScalar>(_ op: String, _ v: [Variable<S>]) throws -> Variable<S> {
    switch op {
    case "gelu": return v[0].gelu()
    case "sigmoid": return v[0].sigmoid()
    case "tanh": return v[0].tanh()
    case "exp": return v[0].exp()
    case "log": return (v[0].squared() + 0.5).log()
    case "softmax": return try v[0].softmax(axis: -1)
    case "logSoftmax": return try v[0].logSoftmax(axis: -1)
    default: return try v[0].layerNorm(gamma: v[1], beta: v[2])
    }
  }

  @Test(arguments: KernelClass.supported, ops)
  func floatGradientsMatchCentralDifferences(_ kernels: KernelClass, _ op: String) throws {
    // 3 rows of 37: not a multiple of any vector width, so the padded tails are differentiated too.
    let inputs = [
      TensorTestSupport.random([3, 37], seed: 41, scale: 1.5), TensorTestSupport.random([37], seed: 42),
      TensorTestSupport.random([37], seed: 43),
    ]
    let weights = TensorTestSupport.random([3, 37], seed: 44)
    let analytic: [[Float]] = try KernelClass.withClass(kernels) {
      let tape = Tape<Float>()
      let variables = inputs.map { tape.variable(Tensor<Float>(shape: $0.shape, scalars: $0.scalars.map(Float.init))) }
      let output = try Self.apply(op, variables)
      let total = try
        (output * tape.constant(Tensor<Float>(shape: weights.shape, scalars: weights.scalars.map(Float.init)))).sum()
      let gradients = try tape.gradients(of: total)
      return variables.map { gradients[$0]?.scalars ?? [] }
    }
    func loss(_ values: [Tensor<Double>]) throws -> Double {
      let tape = Tape<Double>()
      let output = try Self.apply(op, values.map { tape.variable($0) })
      return try (output * tape.constant(weights)).sum().value.scalar
    }
    let checked = op == "layerNorm" ? 3 : 1
    var worst = 0.0
    for i in 0..<checked {
      for j in 0..<inputs[i].count {
        var plus = inputs, minus = inputs
        plus[i].withUnsafeMutableBufferPointer { $0[j] += 1e-6 }
        minus[i].withUnsafeMutableBufferPointer { $0[j] -= 1e-6 }
        let numeric = (try loss(plus) - loss(minus)) / 2e-6
        let exact = Double(analytic[i][j])
        worst = max(worst, abs(exact - numeric) / max(1, abs(exact), abs(numeric)))
      }
    }
    // Float rounding of the forward values and gradients, not the finite differences, sets this bound.
    #expect(worst < 2e-5, "\(op) \(kernels): max relative gradient error \(worst)")
  }
}
