import AdLabCore
import AdLabTensor
import Testing

@testable import AdLabEnvironments

struct ContextualEnvironmentTests {
  func make(_ configure: (inout ContextualEnvironment.Params) -> Void = { _ in }) -> ContextualEnvironment {
    var params = ContextualEnvironment.Params()
    configure(&params)
    return ContextualEnvironment(
      params,
      context: PluginContext(
        key: StreamKey(seed: 4).child("env"), replication: 0, horizon: 1000, batchSize: 100, candidateCount: 0))
  }

  @Test func schemaDescribesTheServedFeatures() {
    let env = make {
      $0.dimension = 5
      $0.arms = 3
    }
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
    let env = make {
      $0.dimension = 3
      $0.arms = 2
    }
    let batch = env.nextBatch(firstStep: 0, count: 5)
    let picked = batch.subset([3, 1])
    #expect(picked.steps == [3, 1])
    #expect(Array(picked.features.decisionDense[0..<3]) == Array(batch.features.decisionDense[9..<12]))
    #expect(Array(picked.features.candidateDense[6..<12]) == Array(batch.features.candidateDense[6..<12]))
    #expect(picked.features.candidateCategorical == [0, 1, 0, 1])
  }

  @Test(arguments: ContextualEnvironment.Params.Link.allCases)
  func clicksFollowTheKnownProbabilities(link: ContextualEnvironment.Params.Link) {
    let env = make {
      $0.link = link
      $0.arms = 4
      $0.dimension = 6
      $0.nonlinearity = link == .logistic ? 1 : 0
    }
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

  @Test func historyServesSequencesAndShapesClicks() {
    let env = make {
      $0.link = .logistic
      $0.arms = 4
      $0.dimension = 2
      $0.scale = 0
      $0.history = 6
      $0.items = 40
      $0.clusters = 4
    }
    let schema = env.featureSchema
    #expect(schema.columns(of: "history") == 0..<6)
    #expect(schema.columns(of: "ad_item") == 1..<2)
    let n = 20_000
    let batch = env.nextBatch(firstStep: 0, count: n)
    #expect(batch.features.sequenceLengths.allSatisfy { $0 >= 3 && $0 <= 6 })
    #expect(batch.features.candidateCategorical.prefix(8) == [0, 1, 1, 2, 2, 3, 3, 4])
    for i in 0..<50 {
      let length = Int(batch.features.sequenceLengths[i])
      let items = batch.features.sequences[(i * 6)..<(i * 6 + 6)]
      #expect(items.prefix(length).allSatisfy { $0 >= 1 && $0 <= 40 } && items.dropFirst(length).allSatisfy { $0 == 0 })
    }
    // The ad whose item's cluster appears in the user's history is clicked more.
    var expected = OutcomeBatch(count: n * 4)
    env.expectedOutcomes(batch, into: &expected)
    var with = (0.0, 0.0), without = (0.0, 0.0)
    for i in 0..<n {
      let length = Int(batch.features.sequenceLengths[i])
      let clusters = Set(batch.features.sequences[(i * 6)..<(i * 6 + length)].map { ($0 - 1) % 4 })
      for a in 0..<4 {
        if clusters.contains(UInt64(a)) {
          with.0 += expected.clicks[i * 4 + a]
          with.1 += 1
        } else {
          without.0 += expected.clicks[i * 4 + a]
          without.1 += 1
        }
      }
    }
    #expect(with.0 / with.1 > without.0 / without.1 + 0.2)
  }

  @Test func conversionsFollowClicksAndTheirKnownProbabilities() {
    let env = make {
      $0.link = .logistic
      $0.arms = 3
      $0.dimension = 4
      $0.conversions = true
    }
    #expect(env.outcomeColumns.contains(.conversions))
    let n = 30_000
    let batch = env.nextBatch(firstStep: 0, count: n)
    var expected = OutcomeBatch(count: n * 3)
    env.expectedOutcomes(batch, into: &expected)
    var outcomes = OutcomeBatch(count: n)
    let actions = (0..<n).map { Int32($0 % 3) }
    actions.withUnsafeBufferPointer { env.resolve(batch, actions: $0, into: &outcomes) }
    #expect((0..<n).allSatisfy { outcomes.conversions[$0] <= outcomes.clicks[$0] })
    let observed = outcomes.conversions.reduce(0, +)
    let mean = (0..<n).reduce(0.0) { $0 + expected.conversions[$1 * 3 + $1 % 3] }
    #expect(abs(observed - mean) < 5 * mean.squareRoot(), "\(observed) conversions, \(mean) expected")
  }
}
