import AdLabCore

extension PluginRegistry {
  /// Registers the plugins that run in a child process: a policy and an interest model.
  public mutating func registerProcessPlugins() {
    policies.register(
      "process",
      summary: "a policy in a child process (Python or any language) over AdLab's binary stdin/stdout protocol",
      parameters: ProcessPolicy.Params.self
    ) { params, context in
      try ProcessPolicy(params, context: context)
    }
    models.register(
      "process",
      summary:
        "an interest model in a child process (Python or any language) over AdLab's binary stdin/stdout protocol",
      parameters: ProcessModel.Params.self
    ) { params, context in
      try ProcessModel(params, context: context)
    }
  }
}
