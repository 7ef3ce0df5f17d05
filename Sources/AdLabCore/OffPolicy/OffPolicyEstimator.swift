/// The off-policy estimators a spec can name in `evaluation.estimators`. Each estimates the value
/// V(π) = E_x[Σ_a π(a | x, s) q(x, a, s)] of an evaluation policy π from rounds i = 1…n logged by a behaviour
/// policy π_b, where (x_i, s_i) is the round's context and logged slot, a_i the logged action, r_i its reward,
/// p_i = π_b(a_i | x_i, s_i) its propensity, w_i = π(a_i | x_i, s_i) / p_i the importance weight, q̂ a reward
/// model fitted by K-fold cross-fitting and q̂_π(x_i) = Σ_a π(a | x_i, s_i) q̂(x_i, a, s_i).
public enum OffPolicyEstimator: String, CaseIterable, Sendable {
  /// Direct method: `V̂ = (1/n) Σ_i q̂_π(x_i)`. Biased when q̂ is wrong; no importance weights.
  case dm
  /// Inverse propensity weighting: `V̂ = (1/n) Σ_i w_i r_i`. Unbiased when p_i > 0 wherever π acts;
  /// `SE = sd(w_i r_i) / √n`.
  case ipw
  /// Self-normalised IPW: `V̂ = Σ_i w_i r_i / Σ_i w_i`. Consistent, bounded by the rewards;
  /// delta-method `SE = √(Σ_i w_i² (r_i − V̂)²) / Σ_i w_i`.
  case snipw
  /// Doubly robust (Dudík et al. 2011): `V̂ = (1/n) Σ_i [q̂_π(x_i) + w_i (r_i − q̂(x_i, a_i, s_i))]`. Unbiased when
  /// propensities are right, whatever q̂; `SE = sd(term_i) / √n`.
  case dr
  /// Self-normalised DR: `V̂ = (1/n) Σ_i q̂_π(x_i) + Σ_i w_i (r_i − q̂_i) / Σ_i w_i`. Consistent; delta-method SE
  /// from `term_i = q̂_π(x_i) + w_i (r_i − q̂_i − c) / w̄`, c the normalised correction.
  case sndr
  /// Switch-DR (Wang et al. 2017, as in obp): `V̂ = (1/n) Σ_i [q̂_π(x_i) + 1{w_i ≤ τ} w_i (r_i − q̂_i)]`: DR where the
  /// weight is small, DM where it exceeds τ. τ = ∞ gives DR, τ = 0 gives DM. `SE = sd(term_i) / √n`.
  case switchDR = "switch-dr"
  /// Replay (Li et al. 2011), for uniformly random logs: draw a ~ π(· | x_i, s_i) for every round with a seeded
  /// stream and keep the rounds where a = a_i; `V̂ = mean of r_i over kept rounds`, `SE = sd / √kept`.
  case replay

  /// Whether the estimator needs the reward model q̂.
  public var needsModel: Bool {
    switch self {
    case .dm, .dr, .sndr, .switchDR: return true
    case .ipw, .snipw, .replay: return false
    }
  }
}

/// One estimator's result: the point estimate, a percentile bootstrap interval and, where it exists, the
/// analytic standard error.
public struct OffPolicyEstimate: Sendable, Equatable {
  public var estimator: OffPolicyEstimator
  public var value: Double
  public var standardError: Double?
  /// Percentile bootstrap interval at confidence 1 − alpha (equal to `value` with no resamples).
  public var lower: Double
  public var upper: Double

  public init(estimator: OffPolicyEstimator, value: Double, standardError: Double?, lower: Double, upper: Double) {
    self.estimator = estimator
    self.value = value
    self.standardError = standardError
    self.lower = lower
    self.upper = upper
  }
}
