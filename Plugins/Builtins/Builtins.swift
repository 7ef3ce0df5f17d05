import AdLabCore
import AdLabEnvironments
import AdLabModels
import AdLabPolicies
import AdLabProcess
import AdLabRewards
import AdLabText

extension PluginRegistry {
  /// Every plugin that ships with AdLab, registered once.
  public static let builtin: PluginRegistry = {
    var registry = PluginRegistry()
    registry.registerEnvironments(textEmbedder: MiniLMTextEmbedder(encoder: CachedSentenceEncoder()))
    registry.registerPolicies()
    registry.registerRewards()
    registry.registerModels()
    registry.registerLoggedEnvironments()
    registry.registerEvaluationPolicies()
    registry.registerProcessPlugins()
    return registry
  }()
}
