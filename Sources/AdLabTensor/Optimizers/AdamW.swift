/// AdamW (Loshchilov & Hutter 2019): Adam with weight decay decoupled from the gradient.
///
/// Each step first shrinks the weights, `w ← w · (1 − lr · weightDecay)`, then applies the Adam update of `Adam`
/// to the raw gradient (PyTorch's order). Sparse rows: lazy, as in `Adam`; the decay also applies to touched rows
/// only.
public struct AdamW<Scalar: TensorScalar>: Optimizer {
  public let learningRate: LearningRateSchedule
  public let beta1: Double
  public let beta2: Double
  public let epsilon: Double
  public let weightDecay: Double
  var core = AdamMoments<Scalar>()

  /// - Precondition: as `Adam`; additionally `lr · weightDecay < 1` at every step is the caller's duty.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public init(
    learningRate: LearningRateSchedule = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    weightDecay: Double = 0.01
  ) {
    AdamMoments<Scalar>.validate(
      "AdamW", learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  /// Updates applied so far.
  public var step: Int { core.step }

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func update(_ parameters: inout [Tensor<Scalar>], gradients: [ParameterGradient<Scalar>]) {
    core.update(
      &parameters, gradients: gradients, name: "AdamW", learningRate: learningRate.rate(at: core.step),
      beta1: beta1, beta2: beta2, epsilon: epsilon, l2: 0, decoupledDecay: weightDecay)
  }
}
