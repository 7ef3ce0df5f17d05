import AdLabBuiltins
import AdLabCore
import CustomPlugins
import Foundation
import Testing

/// The example package's plugins, used beside AdLab's built-ins exactly as `custom-adlab` uses them.
struct CustomPluginsTests {
  static var registry: PluginRegistry {
    var registry = PluginRegistry.builtin
    registerCustomPlugins(into: &registry)
    return registry
  }

  static let specPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("experiments/weekend.yaml").path

  @Test func pluginsSitBesideTheBuiltins() {
    let registry = Self.registry
    #expect(registry.environments.names.contains("weekend"))
    #expect(registry.environments.names.contains("bernoulli"))
    #expect(registry.policies.names.contains("explore-then-commit"))
    #expect(registry.rewards.names.contains("valued-click"))
  }

  @Test func mismatchedScheduleIsASpecErrorAtTheParameters() throws {
    let text = """
      name: bad
      horizon: 100
      environment: { plugin: weekend, params: { weekday_ctrs: [0.1, 0.2], weekend_ctrs: [0.1] } }
      variants: { a: { policy: explore-then-commit } }
      """
    let error = try #require(throws: SpecError.self) {
      try SpecLoader.load(text: text, file: "bad.yaml", registry: Self.registry)
    }
    #expect(error.description.contains("bad.yaml:3:"))
    #expect(error.description.contains("weekend_ctrs lists 1"))
  }

  @Test func rewardValuesClicksAndChargesImpressionsAndAnEmptySlotEarnsNothing() {
    let reward = ValuedClickReward(
      {
        var p = ValuedClickReward.Params()
        p.valuePerClick = 3
        p.costPerImpression = 0.5
        return p
      }())
    var outcomes = OutcomeBatch(count: 3)
    outcomes.impressions = [1, 1, 0]
    outcomes.clicks = [1, 0, 0]
    var rewards = [Double](repeating: .nan, count: 3)
    rewards.withUnsafeMutableBufferPointer { reward.rewards(for: outcomes, into: $0) }
    #expect(rewards == [2.5, -0.5, 0])
  }

  /// After exploring, the policy shows the ad with the best observed rate: ad 2 on weekdays (5% against 2–3.5%).
  @Test func exploreThenCommitCommitsToTheBestWeekdayAd() async throws {
    let loaded = try SpecLoader.load(
      path: Self.specPath,
      overrides: [
        "horizon=50000", "replications=2", "environment.params.decisions_per_day=1000000",
        "variants.commit.policy.params.explore=20000",
      ],
      registry: Self.registry)
    let result = try await ExperimentRunner(jobs: 2).run(loaded.spec)
    let summary = ExperimentSummary(result)
    let commit = try #require(summary.variants.first { $0.name == "commit" })
    let regret = try #require(commit.summary(.regretPerDecision))
    // Exploring 20,000 of 50,000 decisions costs (0.05 − mean 0.03375) · 2 · 0.4 = 0.013 per decision; committing
    // to a wrong ad in either replication would add at least 0.015 · 2 · 0.6 / 2 = 0.009.
    #expect(regret.mean > 0.0115 && regret.mean < 0.0145)
  }

  @Test func bundleStatisticsAreIdenticalForOneAndTwoJobs() async throws {
    let loaded = try SpecLoader.load(
      path: Self.specPath, overrides: ["horizon=3000", "replications=3"], registry: Self.registry)
    let one = ExperimentSummary(try await ExperimentRunner(jobs: 1).run(loaded.spec))
    let two = ExperimentSummary(try await ExperimentRunner(jobs: 2).run(loaded.spec))
    for (a, b) in zip(one.variants, two.variants) {
      #expect(a.name == b.name)
      for (x, y) in zip(a.metrics, b.metrics) { #expect(x.summary.mean.bitPattern == y.summary.mean.bitPattern) }
    }
  }
}
