import AdLabCore
import AdLabTensor

/// K ads whose click-through rates switch between a weekday and a weekend schedule: a market where the best ad
/// changes on known days, so a learner that commits early pays for it.
///
/// A simulated day is `decisions_per_day` decisions; days 5 and 6 of each week are the weekend. Clicks are drawn
/// from a counter-based stream keyed by (step, ad), so paired variants see the same click noise.
public final class WeekendEnvironment: Environment {
  public struct Params: PluginParameters {
    public var weekdayCTRs = [0.02, 0.035, 0.05, 0.03]
    public var weekendCTRs = [0.06, 0.03, 0.02, 0.04]
    public var decisionsPerDay = 1_000

    public init() {}

    public static var fields: [ParameterField<Params>] {
      [
        .init(
          "weekday_ctrs", \.weekdayCTRs, doc: "click-through rate of each ad from Monday to Friday",
          .each(.range(0...1))),
        .init(
          "weekend_ctrs", \.weekendCTRs, doc: "click-through rate of each ad on Saturday and Sunday",
          .each(.range(0...1))),
        .init("decisions_per_day", \.decisionsPerDay, doc: "decisions in one simulated day", .range(1...100_000_000)),
      ]
    }

    public func crossFieldProblems() -> [String] {
      var problems: [String] = []
      if weekdayCTRs.isEmpty { problems.append("weekday_ctrs is empty; list one rate per ad") }
      if weekdayCTRs.count != weekendCTRs.count {
        problems.append(
          "weekday_ctrs lists \(weekdayCTRs.count) ads but weekend_ctrs lists \(weekendCTRs.count); give both one rate per ad"
        )
      }
      return problems
    }
  }

  public let candidateCount: Int
  public var outcomeColumns: OutcomeColumns { .clicks }
  public var hasOracle: Bool { true }

  private let params: Params
  private let noiseKey: StreamKey

  public init(_ params: Params, context: PluginContext) {
    self.params = params
    candidateCount = params.weekdayCTRs.count
    noiseKey = context.key.child("weekend-clicks")
  }

  /// The click-through rate of `ad` at `step`.
  public func rate(step: Int, ad: Int) -> Double {
    let dayOfWeek = (step / params.decisionsPerDay) % 7
    return dayOfWeek >= 5 ? params.weekendCTRs[ad] : params.weekdayCTRs[ad]
  }

  public func nextBatch(firstStep: Int, count: Int) -> DecisionBatch {
    let steps = Array(firstStep..<(firstStep + count))
    return DecisionBatch(steps: steps, userIDs: steps.map { UInt64($0) }, candidateCount: candidateCount)
  }

  public func resolve(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, into outcomes: inout OutcomeBatch) {
    for i in 0..<batch.count {
      let ad = Int(actions[i])
      guard ad != Int(DecisionBatch.noAd) else {
        outcomes.impressions[i] = 0
        outcomes.clicks[i] = 0
        continue
      }
      let u = CounterRandom.uniform(key: noiseKey, UInt64(batch.steps[i]), UInt64(ad))
      outcomes.impressions[i] = 1
      outcomes.clicks[i] = u < rate(step: batch.steps[i], ad: ad) ? 1 : 0
    }
  }

  public func expectedOutcomes(_ batch: DecisionBatch, into outcomes: inout OutcomeBatch) {
    let k = candidateCount
    for i in 0..<batch.count {
      for a in 0..<k {
        outcomes.impressions[i * k + a] = 1
        outcomes.clicks[i * k + a] = rate(step: batch.steps[i], ad: a)
      }
    }
  }
}
