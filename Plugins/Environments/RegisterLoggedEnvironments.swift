import AdLabCore

extension PluginRegistry {
  /// Registers the environments that replay logged traffic (kept apart from `registerEnvironments`, whose
  /// simulated markets evolve on their own).
  public mutating func registerLoggedEnvironments() {
    environments.register(
      "logged",
      summary:
        "logged traffic for off-policy evaluation: Open Bandit Dataset, logged-bandit CSV, a run's decision log, or synthetic",
      parameters: LoggedEnvironment.Params.self,
      capabilities: { _ in PluginCapabilities(.replaysLogs, outcomeColumns: .clicks, slots: nil) }
    ) { params, context in LoggedEnvironment(params, context: context) }
  }
}
