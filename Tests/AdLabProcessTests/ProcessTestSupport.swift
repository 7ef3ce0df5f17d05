import AdLabBuiltins
import AdLabCore
import Foundation
import Testing

@testable import AdLabProcess

enum ProcessTestSupport {
  /// The repository root (this file is Tests/AdLabProcessTests/ProcessTestSupport.swift).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  /// Whether python3 runs here; the tests that need it are disabled with this reason otherwise.
  static let hasPython: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "pass"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }()
  static let noPython: Comment = "python3 is not on PATH: process-plugin tests need it"

  /// Writes a Python child to a temporary file and returns its path. `body` may use `adlab_plugin`.
  static func script(_ name: String, _ body: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("adlab-process-tests-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    let text = "import sys\nsys.path.insert(0, \(String(reflecting: root + "/python")))\nimport adlab_plugin\n" + body
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// A policy made directly (no runner), for tests that look at the child.
  static func policy(_ command: [String], timeout: Double = 10, candidates: Int = 5, slots: Int = 1) throws
    -> ProcessPolicy
  {
    var params = ProcessPolicy.Params()
    params.command = ProcessCommand(command)
    params.timeout = timeout
    var context = PluginContext(
      key: .init(seed: 3), replication: 0, horizon: 100, batchSize: 10, candidateCount: candidates, slotCount: slots)
    context.variant = "py"
    return try ProcessPolicy(params, context: context)
  }

  static func batch(_ n: Int, candidates: Int = 5, slots: Int = 1) -> DecisionBatch {
    DecisionBatch(steps: Array(0..<n), userIDs: (0..<n).map(UInt64.init), candidateCount: candidates, slotCount: slots)
  }

  /// Whether a process is gone and reaped: `kill(pid, 0)` still succeeds on a zombie.
  static func isReaped(_ pid: Int32) -> Bool {
    kill(pid, 0) != 0 && errno == ESRCH
  }

  static func spec(_ variants: String, replications: Int = 2, extra: String = "") throws -> LoadedSpec {
    let text = """
      name: process-test
      seed: 5
      replications: \(replications)
      horizon: 2000
      batch: 100
      environment: { plugin: bernoulli, params: { arms: 6 } }
      variants:
      \(variants)
      \(extra)
      """
    return try SpecLoader.load(text: text, file: "process-test.yaml", registry: .builtin)
  }

  static func contents(_ loaded: LoadedSpec, jobs: Int) async throws -> BundleContents {
    let result = try await ExperimentRunner(jobs: jobs).run(loaded.spec)
    return BundleContents(result: result, summary: ExperimentSummary(result), specText: loaded.sourceText)
  }
}
