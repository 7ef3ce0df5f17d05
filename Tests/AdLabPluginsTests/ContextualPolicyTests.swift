import AdLabBuiltins
import AdLabCore
import AdLabTensor
import Foundation
import Testing

@testable import AdLabPolicies

/// Linear policies on a linear ground truth they can represent; model-based policies' checks.
struct ContextualPolicyTests {
  static func summary(policies: [String], horizon: Int, link: String = "linear", replications: Int = 3) async throws
    -> ExperimentSummary
  {
    let variants = policies.enumerated().map { "  v\($0.offset): { policy: \($0.element) }" }.joined(separator: "\n")
    let text = """
      name: contextual-test
      seed: 8
      replications: \(replications)
      horizon: \(horizon)
      batch: 50
      environment: { plugin: contextual, params: { arms: 5, dimension: 4, link: \(link) } }
      variants:
      \(variants)
      """
    let spec = try SpecLoader.load(text: text, file: "contextual-test.yaml", registry: .builtin).spec
    return ExperimentSummary(try await ExperimentRunner(jobs: 2).run(spec))
  }

  @Test func linearPoliciesBeatRandomAndLearnSublinearly() async throws {
    let policies = ["random", "linucb", "lin-ts", "{ plugin: linucb, params: { mode: hybrid } }", "model-thompson"]
    let short = try await Self.summary(policies: policies, horizon: 1_000)
    let long = try await Self.summary(policies: policies, horizon: 6_000)
    let random = try #require(long.variants[0].summary(.regretPerDecision)?.mean)
    for v in 1..<policies.count {
      let early = try #require(short.variants[v].summary(.regret)?.mean)
      let late = try #require(long.variants[v].summary(.regret)?.mean)
      let perDecision = try #require(long.variants[v].summary(.regretPerDecision)?.mean)
      #expect(perDecision < random / 2, "\(policies[v]): regret per decision \(perDecision) vs random \(random)")
      // Six times the horizon: linear growth would multiply regret by 6.
      #expect(late < 4 * early, "\(policies[v]): regret \(early) at 1,000 decisions, \(late) at 6,000")
    }
  }

  @Test func policyThatNeedsAModelSaysSo() {
    let text = """
      name: t
      seed: 1
      horizon: 100
      environment: contextual
      variants: { a: { policy: greedy-model } }
      """
    do {
      _ = try SpecLoader.load(text: text, file: "t.yaml", registry: .builtin)
      Issue.record("expected an error")
    } catch let error as SpecError {
      #expect(error.diagnostics.first?.keyPath == "variants.a.policy")
      #expect(error.diagnostics.first?.message.contains("has no model") == true)
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func unknownFeatureIsRefusedWithTheServedNames() throws {
    let context = PluginContext(
      key: StreamKey(seed: 1), replication: 0, horizon: 10, batchSize: 10, candidateCount: 3,
      featureSchema: FeatureSchema(dense: [.init("x", side: .user, width: 2)]))
    var params = LinUCBPolicy.Params()
    params.features = ["age"]
    #expect(
      throws: PluginError.invalidParameters(
        "linucb: the environment serves no user or context dense feature 'age'; it serves: x")
    ) {
      try LinUCBPolicy(params, context: context)
    }
  }

  @Test func normalArgmaxProbabilitiesMatchMonteCarlo() {
    let means = [0.1, 0.12, 0.05, 0.11], sds = [0.02, 0.05, 0.001, 0.0]
    let exact = NormalArgmaxProbabilities.compute(means: means, sds: sds)
    #expect(abs(exact.reduce(0, +) - 1) < 1e-12)
    var stream = RandomStream(key: StreamKey(seed: 2))
    var wins = [Double](repeating: 0, count: 4)
    let draws = 200_000
    for _ in 0..<draws {
      var best = 0, top = -Double.infinity
      for a in 0..<4 {
        let x = means[a] + sds[a] * stream.normal()
        if x > top {
          top = x
          best = a
        }
      }
      wins[best] += 1
    }
    for a in 0..<4 {
      let p = wins[a] / Double(draws)
      #expect(
        abs(exact[a] - p) < 5 * (max(p * (1 - p), 1e-6) / Double(draws)).squareRoot() + 1e-4,
        "ad \(a): \(exact[a]) vs \(p)")
    }
  }

  @Test func choleskyInverts() throws {
    let matrix = [4.0, 2, 0.6, 2, 5, 1, 0.6, 1, 3]
    let inverse = try #require(Cholesky.inverse(matrix, size: 3))
    for i in 0..<3 {
      for j in 0..<3 {
        let product = (0..<3).reduce(0.0) { $0 + matrix[i * 3 + $1] * inverse[$1 * 3 + j] }
        #expect(abs(product - (i == j ? 1 : 0)) < 1e-12)
      }
    }
    #expect(Cholesky.inverse([1, 2, 2, 1], size: 2) == nil)
  }

  @Test func squareCBAndGreedyModelFollowTheirFormulas() throws {
    // Predictions planted directly on the batch: ad 2 best, ad 0 close behind, ad 1 far behind.
    let schema = FeatureSchema.empty
    let context = PluginContext(
      key: StreamKey(seed: 3), replication: 0, horizon: 10, batchSize: 10, candidateCount: 3, featureSchema: schema)
    let n = 50_000
    var batch = DecisionBatch(steps: Array(0..<n), userIDs: (0..<n).map(UInt64.init), candidateCount: 3)
    batch.predictions = Predictions(click: (0..<n).flatMap { _ in [0.09, 0.02, 0.1] })
    var params = SquareCBPolicy.Params()
    params.gamma = 50
    let policy = try SquareCBPolicy(params, context: context)
    var actions = [Int32](repeating: 0, count: n), propensities = [Double](repeating: 0, count: n)
    actions.withUnsafeMutableBufferPointer { a in
      propensities.withUnsafeMutableBufferPointer { p in policy.choose(batch, actions: a, propensities: p) }
    }
    let p0 = 1 / (3 + 50 * 0.01), p1 = 1 / (3 + 50 * 0.08)
    let expected = [p0, p1, 1 - p0 - p1]
    for a in 0..<3 {
      let frequency = Double(actions.filter { $0 == Int32(a) }.count) / Double(n)
      #expect(abs(frequency - expected[a]) < 5 * (expected[a] * (1 - expected[a]) / Double(n)).squareRoot())
      if let i = actions.firstIndex(of: Int32(a)) { #expect(abs(propensities[i] - expected[a]) < 1e-12) }
    }
  }
}

/// Contextual runs, with a learning model in the loop, are bit-identical for any number of jobs.
struct ContextualDeterminismTests {
  @Test func contextualRunIsIdenticalForAnyJobs() async throws {
    let text = """
      name: contextual-determinism
      seed: 13
      replications: 3
      horizon: 600
      batch: 50
      environment: { plugin: contextual, params: { arms: 4, dimension: 3 } }
      variants:
        linucb: { policy: linucb }
        lin-ts: { policy: lin-ts }
        thompson-model: { policy: model-thompson }
        greedy: { policy: greedy-model, model: { plugin: logistic, params: { crosses: ["ad_id*x"] } } }
        square: { policy: squarecb, model: fm }
      """
    let loaded = try SpecLoader.load(text: text, file: "d.yaml", registry: .builtin)
    func contents(jobs: Int) async throws -> BundleContents {
      let result = try await ExperimentRunner(jobs: jobs).run(loaded.spec)
      return BundleContents(result: result, summary: ExperimentSummary(result), specText: loaded.sourceText)
    }
    let one = try await contents(jobs: 1)
    let three = try await contents(jobs: 3)
    #expect(one.files == three.files)
  }
}
