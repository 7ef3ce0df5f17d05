import AdLabBuiltins
import AdLabCore
import AdLabPluginTesting
import Foundation
import Testing

/// The conformance kit over every registered plugin: the argument lists come from the registry, so a new plugin
/// is checked by registering it.
struct ConformanceTests {
  /// Parameters for policies whose defaults need data (a score per item, a child process to run); every other
  /// policy runs on its defaults.
  static let fixtureParams = [
    "epsilon-greedy-ranking": "{ scores: [0.1, 0.5, 0.2, 0.9, 0.3, 0.4] }",
    "process": "{ command: [python3, \(repositoryRoot)/python/examples/epsilon_greedy.py] }",
  ]
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
  /// The process policy runs a Python child; without python3 its conformance is checked by no one here.
  static let hasPython =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    || (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
      FileManager.default.isExecutableFile(atPath: "\($0)/python3")
    }

  @Test(arguments: PluginRegistry.builtin.policies.names)
  func policyConforms(name: String) {
    if name == "process" && !Self.hasPython {
      print("skipping the process policy's conformance: python3 is not on PATH, so its child cannot start")
      return
    }
    for failure in PolicyConformance.check(name, params: Self.fixtureParams[name], registry: .builtin) {
      Issue.record("\(failure)")
    }
  }

  /// Parameters for environments whose defaults need data (logs to fetch) or are too large for a debug test.
  static let environmentFixtureParams = [
    "ecommerce": "{ users: 400, items: 60, ads: 20, slots: 3 }",
    "logged": "{ dataset: synthetic, rounds: 4000, actions: 5, features: 3 }",
  ]

  @Test(arguments: PluginRegistry.builtin.environments.names)
  func environmentConforms(name: String) {
    for failure in EnvironmentConformance.check(name, params: Self.environmentFixtureParams[name], registry: .builtin) {
      Issue.record("\(failure)")
    }
  }

  /// The process model runs a Python child (the smoothed-count example); the networks and the FM get small tables and
  /// layers (the same code at a size a debug build trains in well under a second).
  static let modelFixtureParams = [
    "process": "{ command: [python3, \(repositoryRoot)/python/examples/ctr_counts.py] }",
    "deepfm": "{ buckets: 1024, embedding: 8, hidden: [16] }",
    "din": "{ buckets: 1024, embedding: 8, attention_hidden: 8, hidden: [16] }",
    "two-tower": "{ buckets: 1024, embedding: 8, tower: [16, 8] }",
    "fm": "{ buckets: 4096 }",
  ]

  @Test(arguments: PluginRegistry.builtin.models.names)
  func modelConforms(name: String) {
    if name == "process" && !Self.hasPython {
      print("skipping the process model's conformance: python3 is not on PATH, so its child cannot start")
      return
    }
    for failure in ModelConformance.check(name, params: Self.modelFixtureParams[name], registry: .builtin) {
      Issue.record("\(failure)")
    }
  }

  /// The model suite's toy keeps the environment contract itself.
  @Test func separableToyConforms() {
    var registry = PluginRegistry.builtin
    registry.registerSeparableToy()
    for failure in EnvironmentConformance.check(SeparableToyEnvironment.pluginName, registry: registry) {
      Issue.record("\(failure)")
    }
  }

  @Test(arguments: PluginRegistry.builtin.rewards.names)
  func rewardConforms(name: String) {
    for failure in RewardConformance.check(name, registry: .builtin) { Issue.record("\(failure)") }
  }
}
