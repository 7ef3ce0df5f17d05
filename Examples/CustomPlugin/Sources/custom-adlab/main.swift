import AdLabBuiltins
import AdLabCore
import AdLabKit
import CustomPlugins

// The whole `adlab` command (run, validate, sweep, verify, plugins, …) with this package's plugins beside AdLab's.
var registry = PluginRegistry.builtin
registerCustomPlugins(into: &registry)
await AdLabCommand.main(registry: registry)
