/// Adam (Kingma & Ba 2015), with optional L2 weight decay added to the gradient (`AdamW` decouples it instead).
///
/// At step t = 1, 2, ... (PyTorch's formulation), with `g ← g + weightDecay · w`:
/// ```
/// m ← β₁·m + (1 − β₁)·g;    v ← β₂·v + (1 − β₂)·g²
/// w ← w − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// ```
/// **Sparse rows (lazy Adam):** for a `.rows` gradient only the touched rows update `m`, `v` and `w`; untouched
/// rows keep their moments (no decay) and do not move. The bias correction uses the global step t, as in
/// TensorFlow Addons' `LazyAdam`. This differs from dense Adam, where momentum keeps moving untouched rows.
public struct Adam<Scalar: TensorScalar>: Optimizer {
  public let learningRate: LearningRateSchedule
  public let beta1: Double
  public let beta2: Double
  public let epsilon: Double
  public let weightDecay: Double
  var core = AdamMoments<Scalar>()

  /// - Precondition: `0 <= beta1 < 1`, `0 <= beta2 < 1`, `epsilon > 0`, `weightDecay >= 0`, valid schedule.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public init(
    learningRate: LearningRateSchedule = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    weightDecay: Double = 0
  ) {
    AdamMoments<Scalar>.validate(
      "Adam", learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
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
      &parameters, gradients: gradients, name: "Adam", learningRate: learningRate.rate(at: core.step),
      beta1: beta1, beta2: beta2, epsilon: epsilon, l2: weightDecay, decoupledDecay: 0)
  }
}

/// The moment estimates and the update shared by `Adam` and `AdamW`.
struct AdamMoments<Scalar: TensorScalar> {
  var step = 0
  var first: [Tensor<Scalar>] = []
  var second: [Tensor<Scalar>] = []

  static func validate(
    _ name: String, learningRate: LearningRateSchedule, beta1: Double, beta2: Double, epsilon: Double,
    weightDecay: Double
  ) {
    learningRate.validate(for: name)
    precondition(beta1 >= 0 && beta1 < 1, "\(name): beta1 must be in [0, 1), got \(beta1)")
    precondition(beta2 >= 0 && beta2 < 1, "\(name): beta2 must be in [0, 1), got \(beta2)")
    precondition(epsilon > 0 && epsilon.isFinite, "\(name): epsilon must be finite and > 0, got \(epsilon)")
    precondition(
      weightDecay >= 0 && weightDecay.isFinite, "\(name): weightDecay must be finite and >= 0, got \(weightDecay)")
  }

  /// One step. `l2` is added to the gradient (`g + l2·w`); `decoupledDecay` scales the weight first
  /// (`w ← w · (1 − lr·decoupledDecay)`, AdamW).
  mutating func update(
    _ parameters: inout [Tensor<Scalar>], gradients: [ParameterGradient<Scalar>], name: String,
    learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, l2: Double, decoupledDecay: Double
  ) {
    OptimizerSupport.checkArity(parameters, gradients, name: name)
    OptimizerSupport.ensureSlots(&first, like: parameters, name: name)
    OptimizerSupport.ensureSlots(&second, like: parameters, name: name)
    step += 1
    let t = Double(step)
    let stepSize = Scalar(learningRate / (1 - integerPower(beta1, t)))
    let correction2 = Scalar((1 - integerPower(beta2, t)).squareRoot())
    let b1 = Scalar(beta1)
    let b2 = Scalar(beta2)
    let c1 = Scalar(1 - beta1)
    let c2 = Scalar(1 - beta2)
    let eps = Scalar(epsilon)
    let decay = Scalar(l2)
    let shrink = Scalar(1 - learningRate * decoupledDecay)
    let decoupled = decoupledDecay > 0
    // Float runs the per-class kernel (FMA classes fuse the moment updates); Double keeps the loop below.
    let kernels = KernelClass.current
    let floatStep = VectorKernels.AdamStep(
      stepSize: Float(learningRate / (1 - integerPower(beta1, t))),
      correction2: Float((1 - integerPower(beta2, t)).squareRoot()), beta1: Float(beta1), beta2: Float(beta2),
      oneMinusBeta1: Float(1 - beta1), oneMinusBeta2: Float(1 - beta2), epsilon: Float(epsilon), l2: Float(l2),
      shrink: Float(1 - learningRate * decoupledDecay), decoupled: decoupled)
    for index in parameters.indices {
      let shape = parameters[index].shape
      let gradient = gradients[index]
      parameters[index].withUnsafeMutableBufferPointer { w in
        first[index].withUnsafeMutableBufferPointer { m in
          second[index].withUnsafeMutableBufferPointer { v in
            OptimizerSupport.forEachSegment(of: gradient, parameterShape: shape, name: name) { start, n, g in
              if Scalar.self == Float.self, let w = w.baseAddress, let m = m.baseAddress, let v = v.baseAddress {
                let float = { (p: UnsafeMutablePointer<Scalar>) in
                  UnsafeMutableRawPointer(p + start).assumingMemoryBound(to: Float.self)
                }
                VectorKernels.adam(
                  weights: float(w), first: float(m), second: float(v),
                  gradient: UnsafeRawPointer(g).assumingMemoryBound(to: Float.self), count: n, step: floatStep,
                  kernels: kernels)
                return
              }
              for j in 0..<n {
                let i = start + j
                if decoupled { w[i] *= shrink }
                let grad = g[j] + decay * w[i]
                m[i] = b1 * m[i] + c1 * grad
                v[i] = b2 * v[i] + c2 * (grad * grad)
                w[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2 + eps)
              }
            }
          }
        }
      }
    }
  }
}

/// `base^exponent` by repeated squaring for integral exponents (deterministic, no libm).
func integerPower(_ base: Double, _ exponent: Double) -> Double {
  var result = 1.0
  var factor = base
  var n = Int(exponent)
  while n > 0 {
    if n & 1 == 1 { result *= factor }
    factor *= factor
    n >>= 1
  }
  return result
}
