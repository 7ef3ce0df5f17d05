import AdLabCore
import ArgumentParser
import Foundation

extension PluginKind: ExpressibleByArgument {}

extension AdLabCommand {
  /// `adlab plugins [KIND]`: every registered plugin with its parameters, from the registry's declarations.
  struct Plugins: RegistryCommand {
    static let configuration = CommandConfiguration(
      abstract: "List plugins and their parameters (defaults, allowed values, docs).")

    @Argument(
      help: ArgumentHelp(
        "Only this kind: \(PluginKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"))
    var kind: PluginKind?

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run(registry: PluginRegistry) async throws {
      let kinds = kind.map { [$0] } ?? PluginKind.allCases
      let descriptors = registry.descriptors(of: kinds)
      switch format {
      case .json:
        print(JSONValue.array(descriptors.map(\.json)).rendered(), terminator: "")
      case .text:
        for kind in kinds {
          print("\(kind.plural.uppercased()) (\(kind.rawValue))")
          let ofKind = descriptors.filter { $0.kind == kind }
          if ofKind.isEmpty { print("  (none registered yet)\n") }
          for plugin in ofKind {
            print("  \(plugin.name): \(plugin.summary)")
            let capabilities = plugin.capabilities.names
            if !capabilities.isEmpty {
              print("    capabilities (default parameters): " + capabilities.joined(separator: ", "))
            }
            for p in plugin.parameters {
              var line =
                "      \(p.name): \(p.type), default \(p.defaultValue.rendered().trimmingCharacters(in: .newlines))"
              if let allowed = p.constraint { line += ", \(allowed)" }
              print(line)
              print("          \(p.doc)")
            }
            print("")
          }
        }
      }
    }
  }
}
