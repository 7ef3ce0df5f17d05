import AdLabCore
import ArgumentParser

/// A verb that uses plugins. `AdLabCommand.main(registry:)` parses the arguments, then calls `run(registry:)` with
/// the registry it was given, so the registry is passed down explicitly rather than read from a global.
protocol RegistryCommand: AsyncParsableCommand {
  func run(registry: PluginRegistry) async throws
}

/// A plugin-using verb run without a registry, which only happens when the command is driven by something other
/// than `AdLabCommand.main(registry:)`.
struct MissingRegistryError: Error, CustomStringConvertible {
  var description: String {
    "error: this command needs a plugin registry; run it through AdLabCommand.main(registry:)"
  }
}

extension RegistryCommand {
  func run() async throws { throw MissingRegistryError() }
}
