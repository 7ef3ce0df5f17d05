import AdLabCore

/// Profit under a return-on-investment constraint, by Lagrangian relaxation with a learned multiplier.
///
/// The constraint is ROI ≥ target, with ROI = (margin − cost) / cost, i.e. `target · cost − (margin − cost) ≤ 0`.
/// Each outcome earns the Lagrangian
/// ```
/// r = (margin − cost) − λ · (target · cost − (margin − cost))
/// ```
/// which is linear in the outcome columns for a given λ (so regret stays exact) and 0 for an empty slot. After
/// each batch, `observe` takes a projected dual-ascent step on the batch's realised ROI:
/// ```
/// λ ← clamp(λ + step_size · (target − ROI_batch), 0, max_lambda)      ROI_batch = Σ(margin − cost) / Σ cost
/// ```
/// so λ grows while the constraint is violated (spend is penalised, pushing policies towards cheaper, more
/// profitable ads) and shrinks back to 0 when it holds with room. Batches without spend leave λ unchanged.
/// Normalising by spend keeps the step scale-free in the currency and the batch size.
public final class ROIConstrainedReward: RewardFunction {
  public struct Params: PluginParameters {
    public var target = 0.2
    public var stepSize = 0.05
    public var initialLambda = 0.0
    public var maxLambda = 100.0
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("target", \.target, doc: "the ROI to hold: (margin − cost) / cost ≥ target", .range(-1...1000)),
        .init("step_size", \.stepSize, doc: "dual-ascent step on λ per unit of ROI shortfall per batch", .atLeast(0)),
        .init("initial_lambda", \.initialLambda, doc: "λ before the first batch", .atLeast(0)),
        .init("max_lambda", \.maxLambda, doc: "upper end of the projection of λ (keeps rewards bounded)", .atLeast(0)),
      ]
    }
    public func crossFieldProblems() -> [String] {
      initialLambda > maxLambda ? ["initial_lambda (\(initialLambda)) must not exceed max_lambda (\(maxLambda))"] : []
    }
  }

  public let params: Params
  /// The current Lagrange multiplier, ≥ 0.
  public private(set) var lambda: Double

  public init(_ params: Params) {
    self.params = params
    lambda = params.initialLambda
  }

  public func rewards(for outcomes: OutcomeBatch, into rewards: UnsafeMutableBufferPointer<Double>) {
    let target = params.target, lambda = lambda
    for i in 0..<outcomes.count {
      let profit = outcomes.margin[i] - outcomes.cost[i]
      rewards[i] = profit - lambda * (target * outcomes.cost[i] - profit)
    }
  }

  public func observe(_ outcomes: OutcomeBatch) {
    var profit = 0.0, cost = 0.0
    for i in 0..<outcomes.count {
      profit += outcomes.margin[i] - outcomes.cost[i]
      cost += outcomes.cost[i]
    }
    guard cost > 0 else { return }
    lambda = min(max(lambda + params.stepSize * (params.target - profit / cost), 0), params.maxLambda)
  }
}
