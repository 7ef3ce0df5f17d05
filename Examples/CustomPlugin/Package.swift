// swift-tools-version: 6.2
import PackageDescription

// A package outside AdLab that adds its own plugins: an environment, a policy and a reward. It depends on AdLab by
// path (a real user would name AdLab's git URL) and ships its own `custom-adlab` executable, which is the whole
// `adlab` command with these plugins registered on top of the built-in ones.
let package = Package(
  name: "CustomPlugin",
  dependencies: [.package(name: "AdLab", path: "../..")],
  targets: [
    .target(
      name: "CustomPlugins",
      dependencies: [
        .product(name: "AdLabCore", package: "AdLab"),
        .product(name: "AdLabTensor", package: "AdLab"),
      ]),
    .executableTarget(
      name: "custom-adlab",
      dependencies: [
        "CustomPlugins",
        .product(name: "AdLabKit", package: "AdLab"),
        .product(name: "AdLabBuiltins", package: "AdLab"),
      ]),
    .testTarget(
      name: "CustomPluginsTests",
      dependencies: [
        "CustomPlugins",
        .product(name: "AdLabCore", package: "AdLab"),
        .product(name: "AdLabBuiltins", package: "AdLab"),
        .product(name: "AdLabPluginTesting", package: "AdLab"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
