import AdLabBuiltins
import AdLabCore
import AdLabKit

// The `adlab` executable: the built-in plugins and the command from AdLabKit. A package that adds plugins writes
// the same three lines with its own registrations on top of `PluginRegistry.builtin`.
await AdLabCommand.main(registry: PluginRegistry.builtin)
