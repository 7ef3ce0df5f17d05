import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// Determinism, common random numbers, split traffic, and safe bundles, on small real runs.
struct RunnerTests {
  static func spec(_ extra: String = "", variants: String? = nil, mode: String = "paired") throws -> LoadedSpec {
    let text = """
      name: runner-test
      seed: 11
      replications: 4
      horizon: 3000
      batch: 100
      environment: { plugin: bernoulli, params: { arms: 5 } }
      variants:
      \(variants ?? "  ucb: { policy: ucb1 }\n  ts: { policy: thompson }\n  eg: { policy: epsilon-greedy }")
      comparison: { mode: \(mode) }
      \(extra)
      """
    return try SpecLoader.load(text: text, file: "runner-test.yaml", registry: .builtin)
  }

  static func contents(_ loaded: LoadedSpec, jobs: Int) async throws -> BundleContents {
    let result = try await ExperimentRunner(jobs: jobs).run(loaded.spec)
    return BundleContents(result: result, summary: ExperimentSummary(result), specText: loaded.sourceText)
  }

  @Test func bundleIsByteIdenticalForAnyJobs() async throws {
    let loaded = try Self.spec()
    let one = try await Self.contents(loaded, jobs: 1)
    let two = try await Self.contents(loaded, jobs: 2)
    let seven = try await Self.contents(loaded, jobs: 7)
    #expect(one.files == two.files)
    #expect(one.files == seven.files)
    #expect(one.digest == two.digest)
  }

  @Test func differentSeedsGiveDifferentResults() async throws {
    let a = try await Self.contents(try Self.spec(), jobs: 2)
    let b = try await Self.contents(
      try SpecLoader.load(text: try Self.spec().sourceText, file: "x.yaml", overrides: ["seed=12"], registry: .builtin),
      jobs: 2)
    #expect(a.files["series.csv"] != b.files["series.csv"])
  }

  @Test func identicalVariantsInPairedModeGiveIdenticalSeries() async throws {
    let loaded = try Self.spec(variants: "  first: { policy: thompson }\n  second: { policy: thompson }")
    let result = try await ExperimentRunner(jobs: 2).run(loaded.spec)
    for r in 0..<loaded.spec.replications {
      #expect(result.jobs[0][r].windows == result.jobs[1][r].windows)
    }
    let summary = ExperimentSummary(result)
    let ctr = try #require(summary.lifts.first { $0.metric == .ctr })
    #expect(ctr.comparison.difference == 0)
    #expect(ctr.comparison.pValue == 1)
  }

  @Test func pairedVariantsShareClickNoise() async throws {
    // A random policy and UCB1 choose differently, but wherever they show the same arm at the same step of the same
    // replication, common random numbers give them the same click. Independent noise at these rates (arm CTRs drawn
    // from the default prior) would disagree on a good share of the hundreds of shared decisions.
    let loaded = try Self.spec("log: decisions", variants: "  a: { policy: random }\n  b: { policy: ucb1 }")
    let result = try await ExperimentRunner(jobs: 2).run(loaded.spec)
    /// (replication, step) → (action, click) from a job's decision log.
    func choices(_ job: JobResult) throws -> [String: (action: Substring, click: Substring)] {
      let log = try #require(job.decisionLog)
      var out: [String: (action: Substring, click: Substring)] = [:]
      for row in log.text.split(separator: "\n") {
        let fields = row.split(separator: ",", omittingEmptySubsequences: false)
        out["\(fields[1]),\(fields[2])"] = (fields[5], fields[9])
      }
      return out
    }
    var shared = 0, sharedClicks = 0, differing = 0
    for r in 0..<loaded.spec.replications {
      let a = try choices(result.jobs[0][r]), b = try choices(result.jobs[1][r])
      #expect(a.count == loaded.spec.horizon && b.count == loaded.spec.horizon)
      for (key, choiceA) in a {
        guard let choiceB = b[key], choiceB.action == choiceA.action else { continue }
        shared += 1
        if (Double(choiceA.click) ?? 0) > 0 { sharedClicks += 1 }
        if choiceA.click != choiceB.click { differing += 1 }
      }
    }
    #expect(shared > 1000 && sharedClicks > 30, "too few shared decisions to test: \(shared), \(sharedClicks) clicks")
    #expect(differing == 0, "\(differing) of \(shared) shared decisions got different clicks")
  }

  @Test func splitModeAssignsEveryUserOnceByWeight() async throws {
    let loaded = try Self.spec(
      variants: "  a: { policy: random, weight: 3 }\n  b: { policy: random, weight: 1 }", mode: "split")
    let result = try await ExperimentRunner(jobs: 2).run(loaded.spec)
    var shareA = 0.0
    for r in 0..<loaded.spec.replications {
      let a = result.jobs[0][r].totals.decisions, b = result.jobs[1][r].totals.decisions
      #expect(a + b == Double(loaded.spec.horizon))
      shareA += a / Double(loaded.spec.horizon)
    }
    shareA /= Double(loaded.spec.replications)
    // 12,000 users: the share's standard error is about 0.004.
    #expect(abs(shareA - 0.75) < 0.02)
    let srm = try #require(ExperimentSummary(result).sampleRatio)
    #expect(!srm.mismatch)
    let mismatched = try Self.spec(
      variants: "  a: { policy: random, weight: 1 }\n  b: { policy: random, weight: 1 }", mode: "split")
    var summary = ExperimentSummary(try await ExperimentRunner(jobs: 2).run(mismatched.spec))
    #expect(summary.sampleRatio?.mismatch == false)
    // The check itself flags a planted 3:1 split declared as 1:1.
    summary = ExperimentSummary(
      ExperimentResult(spec: mismatched.spec, metrics: result.metrics, hasOracle: true, jobs: result.jobs))
    #expect(summary.sampleRatio?.mismatch == true)
  }

  @Test func bundleIsWrittenOnceAndNeverOverwritten() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("adlab-bundle-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let loaded = try Self.spec()
    let contents = try await Self.contents(loaded, jobs: 2)
    let writer = BundleWriter(root: root)
    let provenance = Provenance.current(commandLine: ["test"], jobs: 2)
    let first = try writer.save(contents, spec: loaded.spec, provenance: provenance, wallSeconds: 1)
    guard case .created(let path) = first else {
      Issue.record("expected created, got \(first)")
      return
    }
    #expect(path == writer.path(for: loaded.spec))
    for name in ["spec.yaml", "resolved.json", "summary.json", "summary.md", "series.csv", "manifest.json"] {
      #expect(FileManager.default.fileExists(atPath: "\(path)/\(name)"), "missing \(name)")
    }
    let manifestBefore = try Data(contentsOf: URL(fileURLWithPath: "\(path)/manifest.json"))

    #expect(
      try writer.save(contents, spec: loaded.spec, provenance: provenance, wallSeconds: 2) == .identical(existing: path)
    )

    var changed = contents
    changed.files["series.csv"] = Data("tampered\n".utf8)
    let third = try writer.save(changed, spec: loaded.spec, provenance: provenance, wallSeconds: 3)
    #expect(third == .differs(existing: path, new: path + "-2", changedFiles: ["series.csv"]))
    #expect(try Data(contentsOf: URL(fileURLWithPath: "\(path)/manifest.json")) == manifestBefore)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
    #expect(!leftovers.contains { $0.hasPrefix(".tmp-") })
  }

  @Test func verifyReRunsABundleBitForBit() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("adlab-verify-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let loaded = try Self.spec()
    let contents = try await Self.contents(loaded, jobs: 2)
    let outcome = try BundleWriter(root: root).save(
      contents, spec: loaded.spec, provenance: .current(commandLine: ["test"], jobs: 2), wallSeconds: 0)
    guard case .created(let path) = outcome else {
      Issue.record("\(outcome)")
      return
    }
    let report = try await BundleVerifier.verify(bundle: path, registry: .builtin, runner: ExperimentRunner(jobs: 1))
    #expect(report.identical)

    // A forgery consistent with its own manifest (file, its hash and the digest all rewritten) passes the file
    // check; only the re-run catches it.
    let forged = Data("variant,replication,step,metric,value\n".utf8)
    try forged.write(to: URL(fileURLWithPath: "\(path)/series.csv"))
    var hashes = contents.fileHashes
    let seriesHash = try #require(hashes["series.csv"])
    hashes["series.csv"] = BundleContents.sha256(forged)
    var manifest = try String(contentsOfFile: "\(path)/manifest.json", encoding: .utf8)
    manifest = manifest.replacingOccurrences(of: seriesHash, with: BundleContents.sha256(forged))
      .replacingOccurrences(of: contents.digest, with: BundleContents.digest(of: hashes))
    try Data(manifest.utf8).write(to: URL(fileURLWithPath: "\(path)/manifest.json"))
    #expect(try BundleIntegrity.check(bundle: path).isIntact)
    let tampered = try await BundleVerifier.verify(bundle: path, registry: .builtin, runner: ExperimentRunner(jobs: 2))
    #expect(!tampered.identical)
    #expect(tampered.differingFiles == ["series.csv"])
  }

  @Test func seriesAndSummaryHaveTheDocumentedShape() async throws {
    let loaded = try Self.spec()
    let contents = try await Self.contents(loaded, jobs: 2)
    let csv = String(decoding: try #require(contents.files["series.csv"]), as: UTF8.self)
    let lines = csv.split(separator: "\n")
    #expect(lines.first == "variant,replication,step,metric,value")
    // 3 variants × 4 replications × 30 windows × 7 metrics.
    let expectedRows = 1 + 3 * 4 * 30 * 7
    #expect(lines.count == expectedRows)
    #expect(lines.contains("ucb,0,3000,decisions,100.0"))
    let markdown = String(decoding: try #require(contents.files["summary.md"]), as: UTF8.self)
    #expect(markdown.contains("## Against the control (`ucb`)"))
    #expect(markdown.contains("| ts | ctr |"))
  }

  /// With slots whose effects are not separable (each slot has its own auction), the best filling is not the
  /// greedy one: ad A is worth 1.0 in slot 0 and 0.5 in slot 1, ad B 0.9 in slot 0 and nothing in slot 1 (it would
  /// lose that auction). Greedy (A first) earns 1.0; B then A earns 1.4, so choosing A, B has regret 0.4.
  @Test func slotRegretUsesTheBestFillingNotTheGreedyOne() {
    // layout ((decision * slots + slot) * candidates + candidate): slot 0 [A, B], slot 1 [A, B]
    let expected = [1.0, 0.9, 0.5, 0.0]
    let regret = SlotRegret.perDecision(expected, actions: [0, 1], candidates: 2, slots: 2)
    #expect(abs(regret[0] - 0.4) < 1e-12)
    #expect(SlotRegret.perDecision(expected, actions: [1, 0], candidates: 2, slots: 2) == [0])
    // Negative expected rewards: leaving both slots empty is best, so showing A and B costs their losses.
    #expect(SlotRegret.perDecision([-1, -2, -0.5, -0.25], actions: [0, 1], candidates: 2, slots: 2) == [1.25])
    #expect(SlotRegret.perDecision([-1, -2, -0.5, -0.25], actions: [-1, -1], candidates: 2, slots: 2) == [0])
  }
}
