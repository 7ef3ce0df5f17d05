import AdLabCore

/// Spec-time checks of policy parameters (see `PluginFamily.register(check:)`): what used to fail only when the
/// policy was built, or trap in the middle of a run, is reported by `adlab validate` at the offending key.
enum PolicySpecChecks {
  /// An objective that multiplies by pCVR needs a model that predicts conversions (when the variant has a model).
  static func objective(_ kind: String, plugin: String, view: SpecView) -> [PluginProblem] {
    guard kind.hasPrefix("conversion"), let model = view.model, !model.contains(.predictsConversions) else { return [] }
    return [PluginProblem(
      key: "objective", "\(plugin): objective '\(kind)' needs pCVR, and the variant's interest model does not predict conversions",
      suggestion: "use objective: click or value, or a model with a conversion head (e.g. deepfm with conversion: clicked or esmm)")]
  }

  /// Thompson's 'matching' sampling draws one ad per decision, so it cannot fill several slots.
  static func thompson(_ params: ThompsonPolicy.Params, view: SpecView) -> [PluginProblem] {
    guard params.sampling == "matching", let slots = view.environment?.slots, slots > 1 else { return [] }
    return [PluginProblem(
      key: "sampling", "thompson: sampling 'matching' draws one ad per decision, and the environment has \(slots) slots",
      suggestion: "use sampling: posterior-draws")]
  }
}
