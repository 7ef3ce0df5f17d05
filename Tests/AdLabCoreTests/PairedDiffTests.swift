import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// `adlab diff` on bundles paired by construction uses the paired test, which finds a small real change that
/// Welch's test on the same two bundles misses.
struct PairedDiffTests {
  /// Quickstart, shortened so the test takes seconds (10 replications of `horizon` decisions).
  static func bundle(_ overrides: [String], root: String, horizon: Int = 10_000) async throws -> String {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../experiments/quickstart.yaml").standardized.path
    let loaded = try SpecLoader.load(
      path: path, overrides: ["horizon=\(horizon)", "replications=10"] + overrides, registry: .builtin)
    let result = try await ExperimentRunner(jobs: 2).run(loaded.spec)
    let contents = BundleContents(result: result, summary: ExperimentSummary(result), specText: loaded.sourceText)
    let outcome = try BundleWriter(root: root).save(
      contents, spec: loaded.spec, provenance: .current(commandLine: [], jobs: 2), wallSeconds: 0)
    guard case .created(let bundle) = outcome else {
      throw BundleError.cannotWrite(path: root, reason: "expected a new bundle")
    }
    return bundle
  }

  @Test func aSmallChangeIsFoundPairedAndMissedByWelch() async throws {
    let root = try temporaryFolder("diff-paired")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let before = try await Self.bundle([], root: root)
    // ε-greedy explores 20% of the time instead of 10%: about 2% fewer clicks, well inside the spread between
    // replications (Welch's p ≈ 0.6) but consistent within each pair of replications (paired p ≈ 0.006).
    let after = try await Self.bundle(["variants.epsilon-greedy.policy.params.epsilon=0.2"], root: root)
    let diff = try BundleDiff(a: before, b: after)
    #expect(diff.paired, "\(diff.notPairedBecause ?? "")")
    let clicks = try #require(diff.metrics.first { $0.variant == "epsilon-greedy" && $0.metric == "clicks" })
    let paired = try #require(clicks.comparison)
    #expect(paired.method == .pairedT)
    #expect(clicks.significant && paired.ciUpper < 0, "paired: \(paired)")
    // Welch's test on the same two bundles' summaries does not see it.
    let a = try #require(clicks.a), b = try #require(clicks.b)
    let welch = HypothesisTests.welch(
      controlMean: a.mean, controlSD: a.standardDeviation, controlCount: a.count,
      treatmentMean: b.mean, treatmentSD: b.standardDeviation, treatmentCount: b.count, confidence: diff.confidence)
    #expect(welch.pValue > 0.05, "welch: \(welch)")
    #expect(welch.ciLower < 0 && welch.ciUpper > 0)
    // Untouched variants are identical replication by replication.
    #expect(diff.metrics.filter { $0.variant == "ucb" }.allSatisfy { !$0.changed })

    let text = DiffRenderer.render([(nil, diff)], format: .text, all: false)
    #expect(text.contains("paired t-test over replications (\(BundleDiff.pairingRule))"), "\(text)")
    #expect(
      text.components(separatedBy: "DIFFERENT").count == 2 && !text.contains("\ndifferent\n"), "say it once: \(text)")
  }

  @Test func anotherSeedIsComparedByWelchAndSaysWhy() async throws {
    let root = try temporaryFolder("diff-unpaired")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let before = try await Self.bundle([], root: root, horizon: 1000)
    let after = try await Self.bundle(["seed=8"], root: root, horizon: 1000)
    let diff = try BundleDiff(a: before, b: after)
    #expect(diff.notPairedBecause == "the seed differs")
    #expect(diff.metrics.allSatisfy { $0.comparison?.method == .welch })
    let text = DiffRenderer.render([(nil, diff)], format: .text, all: true)
    #expect(text.contains("Welch's t-test over replications; not paired: the seed differs"), "\(text)")
  }

  @Test func pairingNeedsPairedModeAndTheSameEnvironment() throws {
    let base = try #require(
      JSONValue.parse(
        #"{"seed": 1, "environment": {"plugin": "bernoulli"}, "horizon": 10, "batch": 5, "replications": 3, "comparison": {"mode": "paired"}}"#,
        file: "a"))
    let split = try #require(
      JSONValue.parse(
        #"{"seed": 1, "environment": {"plugin": "bernoulli"}, "horizon": 10, "batch": 5, "replications": 3, "comparison": {"mode": "split"}}"#,
        file: "b"))
    let other = try #require(
      JSONValue.parse(
        #"{"seed": 1, "environment": {"plugin": "contextual"}, "horizon": 20, "batch": 5, "replications": 3, "comparison": {"mode": "paired"}}"#,
        file: "c"))
    #expect(BundleDiff.whyNotPaired(base, base) == nil)
    #expect(BundleDiff.whyNotPaired(base, split) == "B is not in paired mode")
    #expect(BundleDiff.whyNotPaired(base, other) == "the environment, horizon differ")
  }
}
