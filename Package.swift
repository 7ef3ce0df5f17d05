// swift-tools-version: 6.2
import PackageDescription

/// A runtime plugin target of AdLab (environments, interest models, policies, rewards).
/// These live under `Plugins/` (AdLab's agreed layout), not SwiftPM package plugins: see Plugins/README.md.
func adlabPlugin(_ name: String, dependencies: [Target.Dependency] = []) -> Target {
  .target(
    name: "AdLab\(name)",
    dependencies: ["AdLabCore", "AdLabTensor"] + dependencies,
    path: "Plugins/\(name)")
}

let package = Package(
  name: "AdLab",
  products: [
    .executable(name: "adlab", targets: ["AdLabCLI"]),
    .library(name: "AdLabCore", targets: ["AdLabCore"]),
    .library(name: "AdLabTensor", targets: ["AdLabTensor"]),
    .library(name: "AdLabBuiltins", targets: ["AdLabBuiltins"]),
    // The whole `adlab` command with an injected registry, for packages that add their own plugins.
    .library(name: "AdLabKit", targets: ["AdLabKit"]),
    // Conformance suites a plugin author runs on their plugins (AdLab runs them on every built-in one).
    .library(name: "AdLabPluginTesting", targets: ["AdLabPluginTesting"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    // Core
    .systemLibrary(
      name: "CYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
    // Kernels compiled per instruction-set class (x86-64-v3, x86-64-v4), chosen at run time by AdLabTensor.
    .target(name: "CAdLabKernels"),
    // The benchmark harness of every `adlab bench …` command: one clock, warm-up, best/median of N, tables.
    .target(name: "AdLabBench"),
    // The coefficient scripts sit beside the generated files they write.
    .target(
      name: "AdLabTensor", dependencies: ["CAdLabKernels", "AdLabBench"],
      exclude: ["Math/make_math_coefficients.py", "Math/make_float_erf_coefficients.py"]),
    // Pre-trained language models on the tensor core (safetensors, tokenizers, the MiniLM encoder, model cache).
    .target(name: "AdLabText", dependencies: ["AdLabTensor", .product(name: "Crypto", package: "swift-crypto")]),
    // A cache prefetch hint for the ecommerce market's page-view loop (header-only C; Swift has no prefetch).
    .target(name: "CAdLabPrefetch"),
    .target(
      name: "AdLabCore",
      dependencies: [
        "CYAML", "AdLabTensor",
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      plugins: ["SourceRevision"]),
    // SwiftPM build-tool plugin (not an AdLab runtime plugin): the git revision the binary is built from.
    .plugin(name: "SourceRevision", capability: .buildTool(), path: "PackagePlugins/SourceRevision"),

    // Plugins
    adlabPlugin("Environments", dependencies: ["CAdLabPrefetch"]),
    adlabPlugin("Policies"),
    adlabPlugin("Rewards"),
    adlabPlugin("Models", dependencies: ["AdLabBench"]),
    // Policies that run in a child process (any language) over the binary protocol of docs/process-protocol.md.
    // Spawned with posix_spawn, not swift-subprocess: see Plugins/Process/ChildProcess.swift for why.
    adlabPlugin("Process"),
    .target(
      name: "AdLabBuiltins",
      dependencies: [
        "AdLabCore", "AdLabEnvironments", "AdLabPolicies", "AdLabRewards", "AdLabModels", "AdLabProcess", "AdLabText",
      ],
      path: "Plugins/Builtins"),

    // CLI: the command as a library (AdLabKit) and the `adlab` executable that runs it with the built-in plugins.
    .target(
      name: "AdLabKit",
      dependencies: [
        "AdLabCore", "AdLabModels", "AdLabText", "AdLabBench",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .target(name: "AdLabPluginTesting", dependencies: ["AdLabCore", "AdLabTensor"]),
    .executableTarget(name: "AdLabCLI", dependencies: ["AdLabKit", "AdLabCore", "AdLabBuiltins"]),

    // Tests
    .testTarget(name: "AdLabBenchTests", dependencies: ["AdLabBench"]),
    .testTarget(name: "AdLabTensorTests", dependencies: ["AdLabTensor"], exclude: ["Fixtures"]),
    .testTarget(name: "AdLabTextTests", dependencies: ["AdLabText"], exclude: ["Fixtures"]),
    .testTarget(name: "AdLabCoreTests", dependencies: ["AdLabCore", "AdLabBuiltins"], exclude: ["Fixtures"]),
    .testTarget(
      name: "AdLabPluginsTests",
      dependencies: [
        "AdLabCore", "AdLabTensor", "AdLabBuiltins", "AdLabEnvironments", "AdLabPolicies", "AdLabRewards",
        "AdLabModels", "AdLabPluginTesting",
      ]),
    .testTarget(
      name: "AdLabModelsTests",
      dependencies: ["AdLabCore", "AdLabTensor", "AdLabBuiltins", "AdLabModels", "AdLabEnvironments"]),
    .testTarget(name: "AdLabProcessTests", dependencies: ["AdLabCore", "AdLabBuiltins", "AdLabProcess"]),
    // Runs the built `adlab` binary end to end (exit codes, messages, bundles).
    .testTarget(name: "AdLabCLITests", dependencies: ["AdLabCLI"]),
  ],
  swiftLanguageModes: [.v6]
)

// One place for language settings, applied to every Swift target.
for target in package.targets where target.type != .system && target.type != .plugin {
  var settings = target.swiftSettings ?? []
  settings.append(.enableUpcomingFeature("ExistentialAny"))
  target.swiftSettings = settings
}
