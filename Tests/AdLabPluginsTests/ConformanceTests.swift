import AdLabBuiltins
import AdLabCore
import AdLabPluginTesting
import Testing

/// The conformance kit over every registered plugin: the argument lists come from the registry, so a new plugin
/// is checked by registering it.
struct ConformanceTests {
  /// Parameters for policies whose defaults need data (a score per item); every other policy runs on its defaults.
  static let fixtureParams = ["epsilon-greedy-ranking": "{ scores: [0.1, 0.5, 0.2, 0.9, 0.3, 0.4] }"]

  @Test(arguments: PluginRegistry.builtin.policies.names)
  func policyConforms(name: String) {
    for failure in PolicyConformance.check(name, params: Self.fixtureParams[name], registry: .builtin) { Issue.record("\(failure)") }
  }

  @Test(arguments: PluginRegistry.builtin.rewards.names)
  func rewardConforms(name: String) {
    for failure in RewardConformance.check(name, registry: .builtin) { Issue.record("\(failure)") }
  }
}
