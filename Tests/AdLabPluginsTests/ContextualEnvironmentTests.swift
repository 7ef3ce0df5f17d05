import AdLabCore
import AdLabTensor
import Testing

@testable import AdLabEnvironments

struct ContextualEnvironmentTests {
  func make(_ configure: (inout ContextualEnvironment.Params) -> Void = { _ in }) -> ContextualEnvironment {
    var params = ContextualEnvironment.Params()
    configure(&params)
    return ContextualEnvironment(
      params, context: PluginContext(key: StreamKey(seed: 4).child("env"), replication: 0, horizon: 1000, batchSize: 100, candidateCount: 0))
  }

  @Test func schemaDescribesTheServedFeatures() {
    let env = make { $0.dimension = 5; $0.arms = 3 }
    let schema = env.featureSchema
    #expect(schema.columns(of: "x") == 0..<5)
    #expect(schema.columns(of: "ad_vector") == 0..<5)
    #expect(schema.columns(of: "ad_id") == 0..<1)
    #expect(schema.columns(of: "missing") == nil)
    let batch = env.nextBatch(firstStep: 10, count: 4)
    #expect(batch.features.decisionDense.count == 4 * 5)
    #expect(batch.features.candidateDense.count == 4 * 3 * 5)
    #expect(batch.features.candidateCategorical == [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2])
    // Linear link: user vectors lie on the simplex.
    for i in 0..<4 {
      let sum = batch.features.decisionDense[(i * 5)..<((i + 1) * 5)].reduce(0, +)
      #expect(abs(sum - 1) < 1e-5)
    }
  }

  @Test func subsetKeepsFeaturesWithTheirDecisions() {
    let env = make { $0.dimension = 3; $0.arms = 2 }
    let batch = env.nextBatch(firstStep: 0, count: 5)
    let picked = batch.subset([3, 1])
    #expect(picked.steps == [3, 1])
    #expect(Array(picked.features.decisionDense[0..<3]) == Array(batch.features.decisionDense[9..<12]))
    #expect(Array(picked.features.candidateDense[6..<12]) == Array(batch.features.candidateDense[6..<12]))
    #expect(picked.features.candidateCategorical == [0, 1, 0, 1])
  }

  @Test(arguments: ["linear", "logistic"])
  func clicksFollowTheKnownProbabilities(link: String) {
    let env = make { $0.link = link; $0.arms = 4; $0.dimension = 6; $0.nonlinearity = link == "logistic" ? 1 : 0 }
    let n = 40_000
    let batch = env.nextBatch(firstStep: 0, count: n)
    var expected = OutcomeBatch(count: n * 4)
    env.expectedOutcomes(batch, into: &expected)
    #expect(expected.clicks.allSatisfy { $0 >= 0 && $0 <= 1 })
    for ad in 0..<4 {
      var outcomes = OutcomeBatch(count: n)
      let actions = [Int32](repeating: Int32(ad), count: n)
      actions.withUnsafeBufferPointer { env.resolve(batch, actions: $0, into: &outcomes) }
      let observed = outcomes.clicks.reduce(0, +)
      let mean = (0..<n).reduce(0.0) { $0 + expected.clicks[$1 * 4 + ad] }
      let variance = (0..<n).reduce(0.0) { $0 + expected.clicks[$1 * 4 + ad] * (1 - expected.clicks[$1 * 4 + ad]) }
      #expect(abs(observed - mean) < 5 * variance.squareRoot(), "ad \(ad): \(observed) clicks, \(mean) expected")
    }
  }
}
