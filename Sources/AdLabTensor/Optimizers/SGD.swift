/// Stochastic gradient descent with optional momentum (heavy ball or Nesterov) and L2 weight decay.
///
/// With `g ← g + weightDecay · w`:
/// ```
/// momentum = 0:   w ← w − lr · g
/// heavy ball:     v ← μ · v + g;   w ← w − lr · v
/// Nesterov:       v ← μ · v + g;   w ← w − lr · (g + μ · v)
/// ```
/// (the PyTorch formulation). Sparse rows: only touched rows update their velocity and weights (lazy momentum:
/// an untouched row's velocity neither decays nor moves it).
public struct SGD<Scalar: TensorScalar>: Optimizer {
  public let learningRate: LearningRateSchedule
  public let momentum: Double
  public let nesterov: Bool
  public let weightDecay: Double
  /// Updates applied so far (the schedule's step).
  public private(set) var step = 0
  var velocity: [Tensor<Scalar>] = []

  /// - Precondition: rates and decay finite and >= 0; `0 <= momentum < 1`; Nesterov needs momentum > 0.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public init(learningRate: LearningRateSchedule, momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0)
  {
    learningRate.validate(for: "SGD")
    precondition(momentum >= 0 && momentum < 1, "SGD: momentum must be in [0, 1), got \(momentum)")
    precondition(!nesterov || momentum > 0, "SGD: Nesterov momentum needs momentum > 0")
    precondition(
      weightDecay >= 0 && weightDecay.isFinite, "SGD: weightDecay must be finite and >= 0, got \(weightDecay)")
    self.learningRate = learningRate
    self.momentum = momentum
    self.nesterov = nesterov
    self.weightDecay = weightDecay
  }

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func update(_ parameters: inout [Tensor<Scalar>], gradients: [ParameterGradient<Scalar>]) {
    OptimizerSupport.checkArity(parameters, gradients, name: "SGD")
    if momentum > 0 { OptimizerSupport.ensureSlots(&velocity, like: parameters, name: "SGD") }
    let lr = Scalar(learningRate.rate(at: step))
    let mu = Scalar(momentum)
    let decay = Scalar(weightDecay)
    let useMomentum = momentum > 0
    let nesterov = nesterov
    for index in parameters.indices {
      let shape = parameters[index].shape
      let gradient = gradients[index]
      parameters[index].withUnsafeMutableBufferPointer { w in
        guard useMomentum else {
          OptimizerSupport.forEachSegment(of: gradient, parameterShape: shape, name: "SGD") { start, n, g in
            for j in 0..<n { w[start + j] -= lr * (g[j] + decay * w[start + j]) }
          }
          return
        }
        velocity[index].withUnsafeMutableBufferPointer { v in
          OptimizerSupport.forEachSegment(of: gradient, parameterShape: shape, name: "SGD") { start, n, g in
            for j in 0..<n {
              let i = start + j
              let grad = g[j] + decay * w[i]
              v[i] = mu * v[i] + grad
              w[i] -= lr * (nesterov ? grad + mu * v[i] : v[i])
            }
          }
        }
      }
    }
    step += 1
  }
}
