import AdLabCore
import AdLabTensor
import Testing

@testable import AdLabEnvironments

struct BernoulliEnvironmentTests {
  func make(_ params: BernoulliEnvironment.Params, seed: UInt64 = 1, horizon: Int = 200_000) throws
    -> BernoulliEnvironment
  {
    try BernoulliEnvironment(
      params,
      context: PluginContext(
        key: StreamKey(seed: seed).child("env"), replication: 0, horizon: horizon, batchSize: 100, candidateCount: 0))
  }

  @Test func clickRatesMatchTheGivenCTRs() throws {
    var params = BernoulliEnvironment.Params()
    params.arms = 3
    params.ctrs = [0.05, 0.2, 0.6]
    let env = try make(params)
    let n = 200_000
    let batch = env.nextBatch(firstStep: 0, count: n)
    for ad in 0..<3 {
      var outcomes = OutcomeBatch(count: n)
      let actions = [Int32](repeating: Int32(ad), count: n)
      actions.withUnsafeBufferPointer { env.resolve(batch, actions: $0, into: &outcomes) }
      let rate = outcomes.clicks.reduce(0, +) / Double(n)
      let p = params.ctrs![ad]
      #expect(abs(rate - p) < 5 * (p * (1 - p) / Double(n)).squareRoot())
    }
  }

  @Test func sameStepAndAdGiveTheSameClickWhateverTheOrder() throws {
    let env = try make(BernoulliEnvironment.Params())
    let batch = env.nextBatch(firstStep: 1000, count: 50)
    var forward = OutcomeBatch(count: 50), backward = OutcomeBatch(count: 50)
    let actions = (0..<50).map { Int32($0 % 10) }
    actions.withUnsafeBufferPointer { env.resolve(batch, actions: $0, into: &forward) }
    let reversed = batch.subset(Array((0..<50).reversed()))
    Array(actions.reversed()).withUnsafeBufferPointer { env.resolve(reversed, actions: $0, into: &backward) }
    #expect(forward.clicks == Array(backward.clicks.reversed()))
  }

  @Test func priorDrawsHaveThePriorMean() throws {
    var params = BernoulliEnvironment.Params()
    params.arms = 4000
    let env = try make(params, horizon: 1)
    var expected = OutcomeBatch(count: 4000)
    env.expectedOutcomes(env.nextBatch(firstStep: 0, count: 1), into: &expected)
    let mean = expected.clicks.reduce(0, +) / 4000
    // Beta(1, 19): mean 0.05, sd 0.0475; the mean of 4000 draws has sd 0.00075.
    #expect(abs(mean - 0.05) < 0.004)
  }

  @Test func driftMovesRatesButKeepsThemProbabilities() throws {
    var params = BernoulliEnvironment.Params()
    params.drift = 0.3
    params.driftInterval = 100
    let env = try make(params, horizon: 10_000)
    var early = OutcomeBatch(count: 10), late = OutcomeBatch(count: 10)
    env.expectedOutcomes(env.nextBatch(firstStep: 0, count: 1), into: &early)
    env.expectedOutcomes(env.nextBatch(firstStep: 9_999, count: 1), into: &late)
    #expect(early.clicks != late.clicks)
    #expect(late.clicks.allSatisfy { $0 > 0 && $0 < 1 })
  }

  @Test func tooMuchDriftIsRefusedWithAFix() {
    var params = BernoulliEnvironment.Params()
    params.arms = 100_000
    params.drift = 0.1
    params.driftInterval = 1
    #expect(throws: PluginError.self) { try make(params, horizon: 1_000) }
  }
}
