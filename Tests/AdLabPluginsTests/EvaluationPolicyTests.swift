import AdLabCore
import AdLabTensor
import Testing

@testable import AdLabPolicies

/// Action distributions of the policies that can be evaluated off-policy.
struct EvaluationPolicyTests {
  static func batch(decisions: Int, candidates: Int, slots: Int) -> DecisionBatch {
    DecisionBatch(
      steps: Array(0..<decisions), userIDs: (0..<decisions).map { UInt64($0) }, candidateCount: candidates,
      slotCount: slots)
  }

  static func context(candidates: Int) -> PluginContext {
    PluginContext(
      key: StreamKey(seed: 3), replication: 0, horizon: 10, batchSize: 10, candidateCount: candidates, slotCount: 3)
  }

  @Test func bernoulliTSRanksWithoutReplacement() throws {
    var params = BernoulliTSEvaluationPolicy.Params()
    params.alpha = [200, 60, 1, 1, 1]
    params.beta = [1, 40, 100, 100, 100]
    params.samples = 4000
    let policy = try BernoulliTSEvaluationPolicy(params, context: Self.context(candidates: 5))
    let batch = Self.batch(decisions: 2, candidates: 5, slots: 3)
    var distribution = [Double](repeating: 0, count: 2 * 3 * 5)
    try distribution.withUnsafeMutableBufferPointer { try policy.actionDistribution(batch, source: [:], into: $0) }
    for row in 0..<6 {
      let sum = distribution[(row * 5)..<((row + 1) * 5)].reduce(0, +)
      #expect(abs(sum - 1) < 1e-12)
    }
    for item in 0..<5 {
      let acrossSlots = (0..<3).reduce(0.0) { $0 + distribution[$1 * 5 + item] }
      #expect(acrossSlots <= 1 + 1e-12, "an item fills at most one slot per draw")
    }
    #expect(distribution[0] == 1)  // item 0 (mean ≈ 0.995) always ranks first
    #expect(distribution[5 + 1] == 1)  // item 1 (mean 0.6) always second
    #expect(Array(distribution[0..<15]) == Array(distribution[15..<30]), "context-free: every decision alike")
  }

  @Test func bernoulliTSDistributionIsSeeded() throws {
    var params = BernoulliTSEvaluationPolicy.Params()
    params.samples = 500
    let batch = Self.batch(decisions: 1, candidates: 6, slots: 3)
    func draw(_ seed: UInt64) throws -> [Double] {
      let policy = try BernoulliTSEvaluationPolicy(
        params,
        context: PluginContext(key: StreamKey(seed: seed), replication: 0, horizon: 1, batchSize: 1, candidateCount: 6))
      var d = [Double](repeating: 0, count: 18)
      try d.withUnsafeMutableBufferPointer { try policy.actionDistribution(batch, source: [:], into: $0) }
      return d
    }
    #expect(try draw(1) == draw(1))
    #expect(try draw(1) != draw(2))
  }

  @Test func wrongPriorLengthSaysWhatToGive() {
    var params = BernoulliTSEvaluationPolicy.Params()
    params.alpha = [1, 2]
    #expect(throws: PluginError.self) { try BernoulliTSEvaluationPolicy(params, context: Self.context(candidates: 5)) }
  }

  @Test func epsilonGreedyRankingIsExact() throws {
    var params = EpsilonGreedyRankingPolicy.Params()
    params.epsilon = 0.2
    params.scores = [0.1, 0.5, 0.3, 0.2]
    let policy = try EpsilonGreedyRankingPolicy(params, context: Self.context(candidates: 4))
    var distribution = [Double](repeating: 0, count: 3 * 4)
    try distribution.withUnsafeMutableBufferPointer {
      try policy.actionDistribution(Self.batch(decisions: 1, candidates: 4, slots: 3), source: [:], into: $0)
    }
    let expected: [Double] = [0.05, 0.85, 0.05, 0.05, 0.05, 0.05, 0.85, 0.05, 0.05, 0.05, 0.05, 0.85]
    for (a, b) in zip(distribution, expected) { #expect(abs(a - b) < 1e-12) }
  }

  @Test func randomPolicyIsUniformInEverySlot() throws {
    let policy = RandomPolicy(context: Self.context(candidates: 4))
    var distribution = [Double](repeating: 0, count: 3 * 3 * 4)
    try distribution.withUnsafeMutableBufferPointer {
      try policy.actionDistribution(Self.batch(decisions: 3, candidates: 4, slots: 3), source: [:], into: $0)
    }
    #expect(distribution.allSatisfy { $0 == 0.25 })
    #expect(policy.reproducesBehavior == "random")
  }
}
