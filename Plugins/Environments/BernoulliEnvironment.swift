import AdLabCore
import AdLabTensor
import Foundation

/// K ads with Bernoulli click-through rates, given or drawn from a Beta prior, optionally drifting
/// (a Gaussian random walk on the log-odds) for non-stationary runs.
///
/// Every decision is a new anonymous user (user id = step). A click for (step, ad) is decided by the
/// uniform at that position of a counter-based stream, so in paired mode every variant sees the same
/// outcome for the same ad at the same step.
public final class BernoulliEnvironment: Environment {
  public struct Params: PluginParameters {
    public var arms = 10
    public var ctrs: [Double]? = nil
    public var priorAlpha = 1.0
    public var priorBeta = 19.0
    public var drift = 0.0
    public var driftInterval = 1000

    public init() {}

    public static var fields: [ParameterField<Params>] {
      [
        .init(
          "arms", \.arms, doc: "number of ads (must equal the length of ctrs when ctrs is given)", .range(1...100_000)),
        .init(
          "ctrs", \.ctrs,
          doc: "click-through rate of each ad; null draws them from Beta(prior_alpha, prior_beta) per replication",
          .ifPresent(.each(.range(0...1)))),
        .init("prior_alpha", \.priorAlpha, doc: "alpha of the Beta prior CTRs are drawn from", .greaterThan(0)),
        .init(
          "prior_beta", \.priorBeta,
          doc: "beta of the Beta prior CTRs are drawn from (mean CTR = alpha / (alpha + beta))", .greaterThan(0)),
        .init(
          "drift", \.drift, doc: "standard deviation of each random-walk step of an ad's log-odds; 0 keeps CTRs fixed",
          .range(0...10)),
        .init("drift_interval", \.driftInterval, doc: "decisions between random-walk steps", .atLeast(1)),
      ]
    }

    public func crossFieldProblems() -> [String] {
      guard let ctrs, ctrs.count != arms else { return [] }
      return ["ctrs lists \(ctrs.count) rates but arms is \(arms); set arms: \(ctrs.count)"]
    }
  }

  public let candidateCount: Int
  public var outcomeColumns: OutcomeColumns { .clicks }
  public var hasOracle: Bool { true }

  /// CTR of each ad in each drift period, period-major; one period when there is no drift.
  private let rates: [Double]
  private let period: Int
  private let noiseKey: StreamKey

  public init(_ params: Params, context: PluginContext) throws {
    let k = params.arms
    candidateCount = k
    noiseKey = context.key.child("clicks")
    var initial: [Double]
    if let ctrs = params.ctrs {
      initial = ctrs
    } else {
      var stream = RandomStream(key: context.key.child("ctrs"))
      initial = (0..<k).map { _ in stream.beta(params.priorAlpha, params.priorBeta) }
    }
    guard params.drift > 0 else {
      rates = initial
      period = max(context.horizon, 1)
      return
    }
    period = params.driftInterval
    let periods = (context.horizon + period - 1) / period
    guard periods * k <= 50_000_000 else {
      throw PluginError.invalidParameters(
        "drift needs \(periods) periods × \(k) ads = \(periods * k) rates (at most 50,000,000); raise drift_interval")
    }
    var stream = RandomStream(key: context.key.child("drift"))
    var logits = initial.map { p in AdLabMath.log(max(p, 1e-12) / max(1 - p, 1e-12)) }
    var table: [Double] = []
    table.reserveCapacity(periods * k)
    for p in 0..<periods {
      if p > 0 { for a in 0..<k { logits[a] += params.drift * stream.normal() } }
      table.append(contentsOf: logits.map { 1 / (1 + AdLabMath.exp(-$0)) })
    }
    rates = table
  }

  @inline(__always) private func rate(step: Int, ad: Int) -> Double {
    rates[(step / period) * candidateCount + ad]
  }

  public func nextBatch(firstStep: Int, count: Int) -> DecisionBatch {
    let steps = Array(firstStep..<(firstStep + count))
    return DecisionBatch(steps: steps, userIDs: steps.map { UInt64($0) }, candidateCount: candidateCount)
  }

  public func resolve(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, into outcomes: inout OutcomeBatch) {
    let n = batch.count
    // The click noise of every decision in one call: (step, ad) positions on Philox lanes.
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { steps in
      withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { ads in
        withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { noise in
          for i in 0..<n {
            steps[i] = UInt64(batch.steps[i])
            ads[i] = actions[i] == DecisionBatch.noAd ? 0 : UInt64(actions[i])
          }
          CounterRandom.uniforms(key: noiseKey, a: UnsafeBufferPointer(steps), b: UnsafeBufferPointer(ads), into: noise)
          for i in 0..<n {
            let ad = Int(actions[i])
            guard ad != Int(DecisionBatch.noAd) else {
              outcomes.impressions[i] = 0
              outcomes.clicks[i] = 0
              continue
            }
            outcomes.impressions[i] = 1
            outcomes.clicks[i] = noise[i] < rate(step: batch.steps[i], ad: ad) ? 1 : 0
          }
        }
      }
    }
  }

  public func expectedOutcomes(_ batch: DecisionBatch, into outcomes: inout OutcomeBatch) {
    let k = candidateCount
    for i in 0..<batch.count {
      let base = (batch.steps[i] / period) * k
      for a in 0..<k {
        outcomes.impressions[i * k + a] = 1
        outcomes.clicks[i * k + a] = rates[base + a]
      }
    }
  }
}
