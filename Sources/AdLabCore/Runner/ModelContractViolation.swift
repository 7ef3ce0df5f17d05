/// An interest model's instance is not what its registry entry declared: `validate` accepted the spec on the
/// declared capabilities (for example a conversion objective on a model that says it predicts conversions), so a
/// model that then produces no conversion predictions must stop the run with its name, not trap in a policy.
public struct ModelContractViolation: Error, CustomStringConvertible {
  public var variant: String
  public var plugin: String
  /// What the registry entry declared, and what the built instance reports.
  public var declaredConversions: Bool
  public var instanceConversions: Bool

  public var description: String {
    "interest model '\(plugin)' declared predicts_conversions = \(declaredConversions) in its registration, but its "
      + "instance reports \(instanceConversions); a model's capabilities must describe every instance it makes "
      + "(the conformance kit's ModelConformance checks this; see docs/plugins.md)"
  }

  /// Nil when the instance matches its declaration.
  static func check(declared: PluginCapabilities, instance: any InterestModel, variant: String, plugin: String)
    -> ModelContractViolation?
  {
    let declaredConversions = declared.contains(.predictsConversions)
    guard declaredConversions != instance.predictsConversions else { return nil }
    return ModelContractViolation(
      variant: variant, plugin: plugin, declaredConversions: declaredConversions,
      instanceConversions: instance.predictsConversions)
  }
}
