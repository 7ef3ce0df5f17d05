import AdLabBuiltins
import AdLabCore
import AdLabPluginTesting
import Testing

/// AdLab's conformance kit on this package's own plugins: the names are whatever `registerCustomPlugins` adds to the
/// built-ins, so a plugin added there is checked without touching this file.
struct ConformanceTests {
  static let own: (environments: [String], policies: [String], rewards: [String]) = {
    let builtin = PluginRegistry.builtin, registry = CustomPluginsTests.registry
    func added<P>(_ mine: PluginFamily<P>, _ theirs: PluginFamily<P>) -> [String] {
      mine.names.filter { !theirs.names.contains($0) }
    }
    return (
      added(registry.environments, builtin.environments), added(registry.policies, builtin.policies),
      added(registry.rewards, builtin.rewards)
    )
  }()

  @Test func thePackageAddsPluginsOfEveryKindItShips() {
    #expect(!Self.own.environments.isEmpty && !Self.own.policies.isEmpty && !Self.own.rewards.isEmpty)
  }

  @Test(arguments: own.environments)
  func environmentConforms(name: String) {
    for failure in EnvironmentConformance.check(name, registry: CustomPluginsTests.registry) {
      Issue.record("\(failure)")
    }
  }

  @Test(arguments: own.policies)
  func policyConforms(name: String) {
    for failure in PolicyConformance.check(name, registry: CustomPluginsTests.registry) { Issue.record("\(failure)") }
  }

  @Test(arguments: own.rewards)
  func rewardConforms(name: String) {
    for failure in RewardConformance.check(name, registry: CustomPluginsTests.registry) { Issue.record("\(failure)") }
  }
}
