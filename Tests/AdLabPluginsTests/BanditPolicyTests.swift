import AdLabBuiltins
import AdLabCore
import AdLabTensor
import Foundation
import Testing

@testable import AdLabPolicies

/// Learning policies must beat random by a wide margin on a fixed instance, and report honest propensities.
struct BanditPolicyTests {
  static func run(policies: [String], horizon: Int = 20_000, replications: Int = 4) async throws -> ExperimentSummary {
    let variants = policies.map { "  \($0.replacingOccurrences(of: "-", with: "_")): { policy: \($0) }" }.joined(
      separator: "\n")
    let text = """
      name: regret
      seed: 3
      replications: \(replications)
      horizon: \(horizon)
      batch: 100
      environment: { plugin: bernoulli, params: { arms: 5, ctrs: [0.1, 0.15, 0.3, 0.2, 0.45] } }
      variants:
      \(variants)
      """
    let spec = try SpecLoader.load(text: text, file: "regret.yaml", registry: .builtin).spec
    return ExperimentSummary(try await ExperimentRunner(jobs: 2).run(spec))
  }

  @Test func learnersHaveFarLessRegretThanRandom() async throws {
    let summary = try await Self.run(policies: ["random", "ucb1", "thompson", "epsilon-greedy", "exp3"])
    let regret = Dictionary(uniqueKeysWithValues: summary.variants.map { ($0.name, $0.summary(.regret)?.mean ?? .nan) })
    let random = try #require(regret["random"])
    // Random loses (0.45 − mean CTR 0.24) × 20,000 = 4,200 clicks in expectation; 4 replications have sd ≈ 30.
    #expect(abs(random - 4200) < 150)
    #expect(try #require(regret["thompson"]) < random / 10)
    #expect(try #require(regret["ucb1"]) < random / 3)
    #expect(try #require(regret["epsilon_greedy"]) < random / 3)
    #expect(try #require(regret["exp3"]) < random / 2)
  }

  @Test func thompsonAndUCB1RegretGrowSublinearly() async throws {
    let short = try await Self.run(policies: ["thompson", "ucb1"], horizon: 2_500)
    let long = try await Self.run(policies: ["thompson", "ucb1"], horizon: 20_000)
    for v in 0..<2 {
      let early = try #require(short.variants[v].summary(.regret)?.mean)
      let late = try #require(long.variants[v].summary(.regret)?.mean)
      // Eight times the horizon: linear growth (random's) would multiply regret by 8, logarithmic by about 1.3.
      #expect(late < 3 * early, "\(short.variants[v].name): regret \(early) at 2,500 decisions, \(late) at 20,000")
    }
  }

  @Test func gaussLegendreIntegratesPolynomialsExactly() {
    for n in [8, 32] {
      let rule = GaussLegendre(points: n)
      #expect(abs(rule.weights.reduce(0, +) - 2) < 1e-13)
      // ∫_{-1}^{1} x^(2n−2) dx = 2/(2n−1): n points integrate degree 2n − 1 exactly.
      let degree = Double(2 * n - 2)
      let integral = zip(rule.nodes, rule.weights).reduce(0.0) { $0 + $1.1 * pow($1.0, degree) }
      #expect(abs(integral - 2 / (degree + 1)) < 1e-13)
    }
  }

  @Test(arguments: [
    ([1.0, 1.0, 1.0], [1.0, 1.0, 1.0]),
    ([3.0, 10.0, 1.0], [30.0, 80.0, 19.0]),
    ([120.0, 130.0, 5.0, 200.0], [2000.0, 2100.0, 100.0, 4000.0]),
  ])
  func argmaxProbabilitiesMatchMonteCarlo(alphas: [Double], betas: [Double]) {
    let exact = BetaArgmaxProbabilities.compute(alphas: alphas, betas: betas)
    #expect(abs(exact.reduce(0, +) - 1) < 1e-12)
    var stream = RandomStream(key: StreamKey(seed: 5).child("mc"))
    let draws = 200_000
    var wins = [Double](repeating: 0, count: alphas.count)
    for _ in 0..<draws {
      var best = 0, top = -1.0
      for a in alphas.indices {
        let x = stream.beta(alphas[a], betas[a])
        if x > top {
          top = x
          best = a
        }
      }
      wins[best] += 1
    }
    for a in alphas.indices {
      let p = wins[a] / Double(draws)
      // Five standard errors of the Monte Carlo estimate, plus a small floor.
      let tolerance = 5 * (max(p * (1 - p), 1e-6) / Double(draws)).squareRoot() + 1e-4
      #expect(abs(exact[a] - p) < tolerance, "arm \(a): quadrature \(exact[a]) vs Monte Carlo \(p)")
    }
  }

  /// Reference values from scipy 1.17.1: `scipy.integrate.quad` (epsabs 1e-15, epsrel 1e-13, limit 500) of
  /// beta.pdf(x; a_k, b_k) · Π_{j≠k} beta.cdf(x; a_j, b_j) over mean ± 12 sd, normalised to sum to 1.
  /// The last two are late-run posteriors (narrow, far apart, skewed) where a single quadrature rule fails.
  @Test(arguments: [
    ([3.0, 10.0, 1.0], [30.0, 80.0, 19.0], [3.0758973183e-01, 5.9256432032e-01, 9.9845947847e-02]),
    (
      [120.0, 130.0, 5.0, 200.0], [2000.0, 2100.0, 100.0, 4000.0],
      [3.0174679588e-01, 4.4767680891e-01, 2.4555769718e-01, 5.0186980278e-03]
    ),
    (
      [5000.0, 5100.0, 300.0, 40.0, 2.0], [95000.0, 94900.0, 5700.0, 800.0, 60.0],
      [5.2582784433e-02, 3.2232841636e-01, 2.2505462912e-01, 2.4045226295e-01, 1.5958190714e-01]
    ),
    ([1.5, 2.0, 50000.0], [30.0, 40.0, 950000.0], [3.0954738882e-01, 3.0704210437e-01, 3.8341050681e-01]),
  ])
  func argmaxProbabilitiesMatchAdaptiveQuadrature(alphas: [Double], betas: [Double], expected: [Double]) {
    let computed = BetaArgmaxProbabilities.compute(alphas: alphas, betas: betas)
    for (c, e) in zip(computed, expected) { #expect(abs(c - e) < 1e-5, "\(computed) vs \(expected)") }
  }

  @Test func propensitiesMatchChoiceFrequencies() throws {
    // With statistics frozen for the batch, the reported propensity of each arm equals how often it is chosen.
    for name in [
      "epsilon-greedy", "exp3", "random", "thompson", "{ plugin: thompson, params: { sampling: matching } }",
    ] {
      let context = PluginContext(
        key: StreamKey(seed: 9).child("p"), replication: 0, horizon: 100_000, batchSize: 100_000, candidateCount: 4)
      let prepared = try #require(preparePolicy(name))
      let policy = try prepared.make(context)
      // Teach it something first, so probabilities are not uniform.
      let warmBatch = DecisionBatch(steps: Array(0..<8), userIDs: (0..<8).map(UInt64.init), candidateCount: 4)
      let warmActions: [Int32] = [0, 1, 2, 3, 3, 3, 2, 1]
      let warmRewards: [Double] = [0, 0, 1, 1, 1, 0, 0, 0]
      warmActions.withUnsafeBufferPointer { a in
        warmRewards.withUnsafeBufferPointer { r in policy.update(warmBatch, actions: a, rewards: r) }
      }
      let n = 100_000
      let batch = DecisionBatch(steps: Array(0..<n), userIDs: (0..<n).map(UInt64.init), candidateCount: 4)
      var actions = [Int32](repeating: 0, count: n), propensities = [Double](repeating: 0, count: n)
      actions.withUnsafeMutableBufferPointer { a in
        propensities.withUnsafeMutableBufferPointer { p in policy.choose(batch, actions: a, propensities: p) }
      }
      var counts = [Double](repeating: 0, count: 4), reported = [Double](repeating: -1, count: 4)
      for i in 0..<n {
        counts[Int(actions[i])] += 1
        reported[Int(actions[i])] = propensities[i]
      }
      let seen = reported.filter { $0 >= 0 }
      #expect(abs(seen.reduce(0, +) - 1) < 1e-9, "\(name): propensities of the arms sum to \(seen.reduce(0, +))")
      for a in 0..<4 where reported[a] >= 0 {
        let frequency = counts[a] / Double(n)
        #expect(
          abs(frequency - reported[a]) < 5 * (reported[a] * (1 - reported[a]) / Double(n)).squareRoot() + 1e-9,
          "\(name) arm \(a)")
      }
    }
  }

  func preparePolicy(_ name: String) -> PreparedPlugin<any Policy>? {
    let text =
      "name: p\nseed: 1\nhorizon: 10\nbatch: 10\nenvironment: bernoulli\nvariants: { a: { policy: \(name) } }\n"
    return try? SpecLoader.load(text: text, file: "p.yaml", registry: .builtin).spec.variants[0].policy
  }
}
