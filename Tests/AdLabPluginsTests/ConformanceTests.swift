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
  static let hasPython = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    || (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
      FileManager.default.isExecutableFile(atPath: "\($0)/python3")
    }

  @Test(arguments: PluginRegistry.builtin.policies.names)
  func policyConforms(name: String) {
    if name == "process" && !Self.hasPython {
      print("skipping the process policy's conformance: python3 is not on PATH, so its child cannot start")
      return
    }
    for failure in PolicyConformance.check(name, params: Self.fixtureParams[name], registry: .builtin) { Issue.record("\(failure)") }
  }

  @Test(arguments: PluginRegistry.builtin.rewards.names)
  func rewardConforms(name: String) {
    for failure in RewardConformance.check(name, registry: .builtin) { Issue.record("\(failure)") }
  }
}
