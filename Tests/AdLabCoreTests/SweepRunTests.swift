import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// Sweeps end to end: resume after a killed run, shards merged byte for byte, failed cells.
struct SweepRunTests {
  /// 8 small cells: each runs in well under a second in a debug build.
  static let spec = """
    name: sweep-test
    seed: 21
    replications: 2
    horizon: 2000
    batch: 100
    environment: { plugin: bernoulli, params: { arms: 4 } }
    variants:
      ucb: { policy: { plugin: ucb1 } }
      eg: { policy: { plugin: epsilon-greedy } }
    sweep:
      grid:
        variants.ucb.policy.params.c: [0.5, 1, 2, 4]
        variants.eg.policy.params.epsilon: [0.05, 0.2]
    """

  static func plan(_ text: String = spec, registry: PluginRegistry = .builtin) throws -> SweepPlan {
    try SweepPlan.expand(
      SpecLoader.load(text: text, file: "sweep-test.yaml", registry: registry, allowSweeps: true), registry: registry)
  }

  static func runner(failFast: Bool = false) -> SweepRunner {
    SweepRunner(
      runner: ExperimentRunner(jobs: 2), provenance: Provenance.current(commandLine: ["test"], jobs: 2),
      failFast: failFast)
  }

  @Test func shardedThenMergedEqualsUnshardedByteForByte() async throws {
    let root = try temporaryFolder("shards")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let plan = try Self.plan()
    let whole = "\(root)/whole"
    let report = try await Self.runner().run(plan, folder: whole)
    #expect(report.ran == 8 && report.assembled)
    var shardFolders: [String] = []
    for i in 0..<3 {
      let folder = "\(root)/shard\(i)"
      let part = try await Self.runner().run(plan, folder: folder, shard: Shard(index: i, count: 3))
      #expect(!part.assembled)
      #expect(part.ran == [3, 3, 2][i])
      shardFolders.append(folder)
    }
    let merged = try SweepFiles.merge(sources: shardFolders, into: "\(root)/merged")
    #expect(merged.missing.isEmpty)
    let expected = contentFiles(whole), actual = contentFiles("\(root)/merged")
    #expect(expected.keys.sorted() == actual.keys.sorted())
    #expect(expected == actual)
    #expect(
      expected["sweep.csv"] != nil && expected["report.html"] != nil
        && expected.keys.filter { $0.hasSuffix("report.html") }.count == 9)

    // A partial merge says what is missing.
    let partial = try SweepFiles.merge(sources: [shardFolders[0]], into: "\(root)/partial")
    #expect(partial.missing.count == 5)
    let table = try #require(String(data: contentFiles("\(root)/partial")["sweep.csv"] ?? Data(), encoding: .utf8))
    #expect(table.components(separatedBy: ",missing,").count - 1 == 5)
  }

  @Test(.enabled(if: CommandLineTool.adlab != nil, "the adlab executable is not built; run `swift build` first"))
  func resumeAfterAKilledSweepFinishesWithTheSameResult() async throws {
    let root = try temporaryFolder("resume")
    defer { try? FileManager.default.removeItem(atPath: root) }
    try Self.spec.write(toFile: "\(root)/sweep-test.yaml", atomically: true, encoding: .utf8)
    let plan = try Self.plan()
    let folder = SweepRunner.folder(root: "\(root)/out", plan: plan)

    // Start the sweep in a child process and kill it once the first cell is complete. The watcher is an OS
    // thread, not a task, so it keeps polling while other tests saturate the cooperative pool.
    let (process, _) = try CommandLineTool.start(["sweep", "sweep-test.yaml", "--out", "out", "--jobs", "1"], in: root)
    let pid = process.processIdentifier
    let killed = KillSwitch()
    let cells = "\(folder)/cells"
    let watcher = Thread {
      let deadline = Date().addingTimeInterval(300)
      while Date() < deadline {
        let done = ((try? FileManager.default.contentsOfDirectory(atPath: cells)) ?? []).filter { !$0.hasPrefix(".") }
        if !done.isEmpty {
          killed.fire(pid)
          return
        }
        usleep(5_000)
      }
    }
    watcher.start()
    process.waitUntilExit()
    let killedMidRun = killed.fired && process.terminationReason == .uncaughtSignal
    #expect(killedMidRun, "the sweep finished before it could be killed")
    let finishedBefore = ((try? FileManager.default.contentsOfDirectory(atPath: "\(folder)/cells")) ?? []).filter {
      !$0.hasPrefix(".")
    }.count
    #expect(finishedBefore >= 1 && finishedBefore < 8)

    // The re-run skips finished cells (and says so) and redoes the rest.
    let (status, output) = try CommandLineTool.run(["sweep", "sweep-test.yaml", "--out", "out"], in: root)
    #expect(status == 0, "\(output)")
    #expect(output.contains("\(finishedBefore) skipped (already finished)"), "\(output)")
    #expect(output.contains("already finished, skipped"))

    let reference = "\(root)/reference"
    _ = try await Self.runner().run(plan, folder: reference)
    #expect(contentFiles(folder) == contentFiles(reference))
    #expect(
      ((try? FileManager.default.contentsOfDirectory(atPath: "\(folder)/cells")) ?? []).allSatisfy {
        !$0.hasPrefix(".tmp")
      })
  }

  /// Kills a process once, from any thread, and remembers that it did.
  final class KillSwitch: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    var fired: Bool { lock.withLock { done } }
    func fire(_ pid: Int32) {
      lock.withLock {
        if !done { done = kill(pid, SIGKILL) == 0 }
      }
    }
  }

  /// A registry with one more environment that always fails to start.
  static let registryWithBrokenEnvironment: PluginRegistry = {
    var registry = PluginRegistry.builtin
    registry.environments.register("broken", summary: "fails on purpose", parameters: NoParameters.self) { _, _ in
      throw PluginError.invalidParameters("this environment always fails")
    }
    return registry
  }()

  static let failingSpec = spec.replacingOccurrences(
    of: "    variants.eg.policy.params.epsilon: [0.05, 0.2]",
    with: "    environment: [{ plugin: broken }, { plugin: bernoulli, params: { arms: 4 } }]")

  @Test func failedCellsDoNotStopTheOthers() async throws {
    let root = try temporaryFolder("failing")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let plan = try Self.plan(Self.failingSpec, registry: Self.registryWithBrokenEnvironment)
    #expect(plan.cells.count == 8)
    let report = try await Self.runner().run(plan, folder: "\(root)/all")
    #expect(report.failed.count == 4 && report.ran == 4)
    #expect(report.failed[0].message.contains("always fails"))
    #expect(try SweepResults(folder: "\(root)/all").missing.count == 4)

    let fast = try await Self.runner(failFast: true).run(plan, folder: "\(root)/fast")
    #expect(fast.failed.count == 1 && fast.ran == 0 && fast.notAttempted == 7)
  }
}
