import Foundation
import Testing

/// The `adlab` command as a user runs it: exit codes, messages on stderr, bundles on disk.
struct CLITests {
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The `adlab` binary SwiftPM built next to this test bundle.
  static let binary: URL = {
    let testBinary = URL(
      fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? CommandLine.arguments[0])
    var folder = testBinary.deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("adlab").path), folder.path != "/" {
      folder = folder.deletingLastPathComponent()
    }
    return folder.appendingPathComponent("adlab")
  }()

  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  func adlab(_ arguments: [String]) throws -> Output {
    let process = Process()
    process.executableURL = Self.binary
    process.arguments = arguments
    process.currentDirectoryURL = Self.repository
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  func temporaryFolder() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("adlab-cli-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  static let tinySpec = """
    name: tiny
    seed: 5
    replications: 3
    horizon: 2000
    batch: 100
    environment: { plugin: bernoulli, params: { arms: 4 } }
    variants:
      ucb: { policy: ucb1 }
      ts: { policy: thompson }
    """

  @Test func badSpecExitsWithTwoAndPointsAtTheMistake() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let spec = "\(folder)/bad.yaml"
    try Data(Self.tinySpec.replacingOccurrences(of: "policy: ucb1", with: "policy: ucb2").utf8).write(
      to: URL(fileURLWithPath: spec))
    let result = try adlab(["run", spec, "--out", folder])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "bad.yaml:8:18: error: variants.ucb.policy.plugin: unknown policy plugin 'ucb2'; did you mean 'ucb1'?"))
    #expect(!FileManager.default.fileExists(atPath: "\(folder)/tiny"), "a failed run writes nothing")
  }

  @Test func badArgumentsAndMissingFilesExitWithTwo() throws {
    #expect(try adlab(["run", "/nonexistent/spec.yaml"]).status == 2)
    #expect(try adlab(["run", "experiments/quickstart.yaml", "--jobs", "0"]).status == 2)
    #expect(try adlab(["frobnicate"]).status == 2)
    let override = try adlab(["validate", "experiments/quickstart.yaml", "--set", "horizon=-3"])
    #expect(override.status == 2)
    #expect(override.stderr.contains("--set horizon=-3:1:9: error: horizon: -3 is out of range"))
  }

  /// Errors that are neither spec nor run errors (here `train` on a variant without a model) read like every other
  /// error of adlab's ("error: …", exit 2), not ArgumentParser's capitalised fallback.
  @Test func otherErrorsSayErrorInLowerCase() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let spec = "\(folder)/tiny.yaml"
    try Self.tinySpec.write(toFile: spec, atomically: true, encoding: .utf8)
    let result = try adlab(["train", spec, "--out", folder])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("error: variant 'ucb' has no model to train"), "\(result.stderr)")
  }

  /// A spec that used to pass `validate` and trap in `run` (issue 14) is now a spec error: exit 2 at the key.
  @Test func validateCatchesAConversionObjectiveWithoutAConversionModel() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let spec = "\(folder)/trap.yaml"
    try """
    name: trap
    seed: 1
    horizon: 1000
    environment: { plugin: ecommerce, params: { users: 200, items: 60, ads: 10 } }
    variants:
      greedy: { policy: { plugin: greedy-model, params: { objective: conversion } }, model: logistic }
    """.write(toFile: spec, atomically: true, encoding: .utf8)
    for verb in ["validate", "run"] {
      let result = try adlab(verb == "run" ? [verb, spec, "--out", folder] : [verb, spec])
      #expect(result.status == 2, "\(verb): \(result.stderr)")
      #expect(result.stderr.contains("trap.yaml:6:66: error: variants.greedy.policy.params.objective:"))
    }
  }

  @Test func pluginsListsDeclaredCapabilities() throws {
    let text = try adlab(["plugins", "environment"])
    #expect(text.status == 0)
    #expect(text.stdout.contains("capabilities (default parameters): replays_logs"))
    let json = try adlab(["plugins", "environment", "--format", "json"])
    #expect(json.status == 0)
    #expect(json.stdout.contains("\"market_counters\""))
  }

  @Test func runThenRerunThenVerify() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let spec = "\(folder)/tiny.yaml"
    try Data(Self.tinySpec.utf8).write(to: URL(fileURLWithPath: spec))

    let first = try adlab(["run", spec, "--out", folder, "--jobs", "2", "--format", "json"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("\"outcome\": \"created\""))
    let bundle = try #require(
      try FileManager.default.contentsOfDirectory(atPath: "\(folder)/tiny").first { !$0.hasPrefix(".") })
    let path = "\(folder)/tiny/\(bundle)"

    let again = try adlab(["run", spec, "--out", folder, "--jobs", "1"])
    #expect(again.status == 0)
    #expect(again.stderr.contains("identical to the existing bundle"))
    #expect(again.stdout.contains("# tiny"))

    let verified = try adlab(["verify", path, "--jobs", "2"])
    #expect(verified.status == 0)
    #expect(verified.stdout.hasPrefix("identical:"))

    let manifestPath = "\(path)/manifest.json"
    let manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
    let summaryHash = try #require(manifest.split(separator: "\n").first { $0.contains("\"summary.md\"") })
    try Data(
      manifest.replacingOccurrences(
        of: String(summaryHash), with: "    \"summary.md\": \"\(String(repeating: "0", count: 64))\","
      ).utf8
    )
    .write(to: URL(fileURLWithPath: manifestPath))
    let broken = try adlab(["verify", path])
    #expect(broken.status == 1)
    #expect(broken.stdout.contains("changed (sha256 differs from the manifest): summary.md"), "\(broken.stdout)")
  }

  @Test func pluginsListsDeclarationsAsJSON() throws {
    let result = try adlab(["plugins", "policy", "--format", "json"])
    #expect(result.status == 0)
    for name in ["\"epsilon-greedy\"", "\"exp3\"", "\"random\"", "\"thompson\"", "\"ucb1\""] {
      #expect(result.stdout.contains(name))
    }
    let text = try adlab(["plugins"])
    #expect(text.stdout.contains("prior_alpha: a number, default 1.0, x > 0.0"))
  }

  @Test func everyExampleSpecIsValid() throws {
    let specs = try FileManager.default.contentsOfDirectory(
      atPath: Self.repository.appendingPathComponent("experiments").path
    )
    .filter { $0.hasSuffix(".yaml") }
    #expect(!specs.isEmpty)
    for spec in specs {
      let result = try adlab(["validate", "--quiet", "experiments/\(spec)"])
      #expect(result.status == 0, "\(spec): \(result.stderr)")
    }
  }

  @Test func trainWritesATrainingBundleThatVerifies() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let spec = "\(folder)/train.yaml"
    try Data(
      """
      name: tiny-train
      seed: 3
      horizon: 100
      environment: { plugin: contextual, params: { link: logistic, arms: 3, dimension: 3 } }
      variants:
        lr: { policy: random, model: { plugin: logistic, params: { buckets: 1024, crosses: ["ad_id*x"] } } }
        fm: { policy: random, model: { plugin: fm, params: { buckets: 1024, factors: 4 } } }
      training: { examples: 800, epochs: 2, batch: 100 }
      """.utf8
    ).write(to: URL(fileURLWithPath: spec))
    let first = try adlab(["train", spec, "--out", folder, "--jobs", "2"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("| Bayes-optimal (true p) | oracle |"))
    let bundle = try #require(
      try FileManager.default.contentsOfDirectory(atPath: "\(folder)/tiny-train").first { $0.hasPrefix("train-") })
    let path = "\(folder)/tiny-train/\(bundle)"
    for file in [
      "metrics.json", "metrics.md", "reliability.csv", "checkpoints/lr.ckpt", "checkpoints/fm.ckpt", "manifest.json",
    ] {
      #expect(FileManager.default.fileExists(atPath: "\(path)/\(file)"), "\(file)")
    }
    let again = try adlab(["train", spec, "--out", folder, "--jobs", "1"])
    #expect(again.stderr.contains("identical to the existing bundle"))
    let verified = try adlab(["verify", path])
    #expect(verified.status == 0 && verified.stdout.hasPrefix("identical:"), "\(verified.stdout)")
    // Training bundles follow the same file rules as runs, checkpoints in their subfolder included.
    try IntegrityCLITests.appendByte(to: "\(path)/checkpoints/fm.ckpt")
    let tampered = try adlab(["verify", path])
    #expect(
      tampered.status == 1
        && tampered.stdout.contains("changed (sha256 differs from the manifest): checkpoints/fm.ckpt"),
      "\(tampered.stdout)")
    let noModel = try adlab(["train", "experiments/quickstart.yaml", "--out", folder])
    #expect(noModel.status == 2 && noModel.stderr.contains("has no model to train"), "\(noModel.stderr)")
  }
}
