/// Adagrad (Duchi, Hazan & Singer 2011): per-coordinate rates shrinking with the accumulated squared gradient.
///
/// ```
/// a ← a + g²;   w ← w − lr · g / (√a + ε)
/// ```
/// `a` starts at `initialAccumulator`. Sparse rows: only touched rows change (the natural Adagrad behaviour).
public struct Adagrad<Scalar: TensorScalar>: Optimizer {
  public let learningRate: LearningRateSchedule
  public let initialAccumulator: Double
  public let epsilon: Double
  public private(set) var step = 0
  var accumulators: [Tensor<Scalar>] = []

  /// - Precondition: `initialAccumulator >= 0`, `epsilon > 0`, valid schedule.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public init(learningRate: LearningRateSchedule, initialAccumulator: Double = 0.1, epsilon: Double = 1e-10) {
    learningRate.validate(for: "Adagrad")
    precondition(
      initialAccumulator >= 0 && initialAccumulator.isFinite,
      "Adagrad: initialAccumulator must be finite and >= 0, got \(initialAccumulator)")
    precondition(epsilon > 0 && epsilon.isFinite, "Adagrad: epsilon must be finite and > 0, got \(epsilon)")
    self.learningRate = learningRate
    self.initialAccumulator = initialAccumulator
    self.epsilon = epsilon
  }

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func update(_ parameters: inout [Tensor<Scalar>], gradients: [ParameterGradient<Scalar>]) {
    OptimizerSupport.checkArity(parameters, gradients, name: "Adagrad")
    OptimizerSupport.ensureSlots(&accumulators, like: parameters, initial: Scalar(initialAccumulator), name: "Adagrad")
    let lr = Scalar(learningRate.rate(at: step))
    let eps = Scalar(epsilon)
    for index in parameters.indices {
      let shape = parameters[index].shape
      parameters[index].withUnsafeMutableBufferPointer { w in
        accumulators[index].withUnsafeMutableBufferPointer { a in
          OptimizerSupport.forEachSegment(of: gradients[index], parameterShape: shape, name: "Adagrad") { start, n, g in
            for j in 0..<n {
              let i = start + j
              Adagrad.step(weight: &w[i], accumulator: &a[i], gradient: g[j], learningRate: lr, epsilon: eps)
            }
          }
        }
      }
    }
    step += 1
  }
}

extension Adagrad {
  /// One coordinate's Adagrad step (the body of `update`), for models that run their own fused sparse loops.
  @inlinable @inline(__always)
  public static func step(
    weight w: inout Scalar, accumulator a: inout Scalar, gradient g: Scalar, learningRate lr: Scalar, epsilon: Scalar
  ) {
    a += g * g
    w -= lr * g / (a.squareRoot() + epsilon)
  }
}
