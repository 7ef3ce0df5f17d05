import AdLabCore
import AdLabEnvironments
import AdLabModels
import AdLabPolicies
import AdLabProcess
import AdLabRewards

extension PluginRegistry {
  /// Every plugin that ships with AdLab, registered once.
  public static let builtin: PluginRegistry = {
    var registry = PluginRegistry()
    registry.registerEnvironments()
    registry.registerPolicies()
    registry.registerRewards()
    registry.registerModels()
    registry.registerLoggedEnvironments()
    registry.registerEvaluationPolicies()
    registry.registerProcessPlugins()
    return registry
  }()
}
