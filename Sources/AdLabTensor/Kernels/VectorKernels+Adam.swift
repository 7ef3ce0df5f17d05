internal import CAdLabKernels

extension VectorKernels {
  /// The scalars of one Adam/AdamW step (see `Adam` for the formulation).
  public struct AdamStep: Sendable {
    /// lr / (1 − β₁ᵗ).
    public var stepSize: Float
    /// √(1 − β₂ᵗ).
    public var correction2: Float
    /// The moment decay rates β₁ and β₂.
    public var beta1: Float
    public var beta2: Float
    /// 1 − β₁ and 1 − β₂, rounded from Double.
    public var oneMinusBeta1: Float
    public var oneMinusBeta2: Float
    /// Added to √v / correction2 in the denominator.
    public var epsilon: Float
    /// Coupled (L2) decay added to the gradient: g + l2·w.
    public var l2: Float
    /// Decoupled (AdamW) decay factor 1 − lr·λ applied to the weight first, when `decoupled`.
    public var shrink: Float
    /// Whether `shrink` applies (AdamW).
    public var decoupled: Bool

    public init(
      stepSize: Float, correction2: Float, beta1: Float, beta2: Float, oneMinusBeta1: Float, oneMinusBeta2: Float,
      epsilon: Float, l2: Float, shrink: Float, decoupled: Bool
    ) {
      self.stepSize = stepSize
      self.correction2 = correction2
      self.beta1 = beta1
      self.beta2 = beta2
      self.oneMinusBeta1 = oneMinusBeta1
      self.oneMinusBeta2 = oneMinusBeta2
      self.epsilon = epsilon
      self.l2 = l2
      self.shrink = shrink
      self.decoupled = decoupled
    }
  }

  /// One Adam/AdamW step on `count` weights, elementwise:
  /// ```
  /// w ← w·shrink (if decoupled);  g' = g + l2·w
  /// m ← β₁·m + (1−β₁)·g';   v ← β₂·v + (1−β₂)·(g'·g')
  /// w ← w − (stepSize·m) / (√v / correction2 + ε)
  /// ```
  /// FMA classes fuse `g + l2·w`, `β₁·m + …` and `β₂·v + …` (one rounding each); `portable` rounds each step.
  public static func adam(
    weights w: UnsafeMutablePointer<Float>, first m: UnsafeMutablePointer<Float>,
    second v: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, count: Int, step: AdamStep,
    kernels: KernelClass = .current
  ) {
    guard count > 0 else { return }
    switch checked(kernels) {
    case .portable:
      for i in 0..<count {
        if step.decoupled { w[i] *= step.shrink }
        let grad = g[i] + step.l2 * w[i]
        m[i] = step.beta1 * m[i] + step.oneMinusBeta1 * grad
        v[i] = step.beta2 * v[i] + step.oneMinusBeta2 * (grad * grad)
        w[i] -= step.stepSize * m[i] / (v[i].squareRoot() / step.correction2 + step.epsilon)
      }
    case .x86_64_v3, .x86_64_v4:
      var constants = adlab_adam_constants(
        step_size: step.stepSize, correction2: step.correction2, beta1: step.beta1, beta2: step.beta2,
        one_minus_beta1: step.oneMinusBeta1, one_minus_beta2: step.oneMinusBeta2, epsilon: step.epsilon,
        l2: step.l2, shrink: step.shrink, decoupled: step.decoupled ? 1 : 0)
      if kernels == .x86_64_v3 {
        adlab_adam_v3(count, w, m, v, g, &constants)
      } else {
        adlab_adam_v4(count, w, m, v, g, &constants)
      }
    }
  }
}
