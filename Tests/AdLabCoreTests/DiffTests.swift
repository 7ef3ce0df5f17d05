import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// `adlab diff`: a bundle against itself is identical; a planted regression is found and gates with --fail-on.
struct DiffTests {
  static let spec = """
    name: diff-test
    seed: 4
    replications: 8
    horizon: 3000
    batch: 100
    environment: { plugin: bernoulli, params: { arms: 5 } }
    variants:
      ucb: { policy: { plugin: ucb1, params: { c: 1 } } }
      eg: { policy: { plugin: epsilon-greedy, params: { epsilon: 0.05 } } }
    """

  /// Runs the spec (with overrides) and saves its bundle under `root`.
  static func bundle(_ overrides: [String], root: String) async throws -> String {
    let loaded = try SpecLoader.load(text: spec, file: "diff-test.yaml", overrides: overrides, registry: .builtin)
    let result = try await ExperimentRunner(jobs: 2).run(loaded.spec)
    let contents = BundleContents(result: result, summary: ExperimentSummary(result), specText: loaded.sourceText)
    let outcome = try BundleWriter(root: root).save(
      contents, spec: loaded.spec, provenance: .current(commandLine: [], jobs: 2), wallSeconds: 0)
    guard case .created(let path) = outcome else {
      throw BundleError.cannotWrite(path: root, reason: "expected a new bundle")
    }
    return path
  }

  @Test func aBundleAgainstItselfIsIdentical() async throws {
    let root = try temporaryFolder("diff-self")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let a = try await Self.bundle([], root: root)
    let diff = try BundleDiff(a: a, b: a)
    #expect(diff.identical)
    #expect(diff.specChanges.isEmpty && diff.provenanceChanges.isEmpty && diff.warnings.isEmpty)
    #expect(diff.metrics.allSatisfy { !$0.changed && !$0.significant })
    let text = DiffRenderer.render([(nil, diff)], format: .text, all: false)
    #expect(text.hasPrefix("IDENTICAL"))
    #expect(text.contains("no metric changed"))
    for format in DiffFormat.allCases {
      #expect(!DiffRenderer.render([(nil, diff)], format: format, all: true).isEmpty)
    }
  }

  @Test func aPlantedRegressionIsFoundAndFailOnExitsOne() async throws {
    let root = try temporaryFolder("diff-regression")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let before = try await Self.bundle([], root: root)
    // The planted regression: ε-greedy explores 90% of the time.
    let after = try await Self.bundle(["variants.eg.policy.params.epsilon=0.9"], root: root)
    let diff = try BundleDiff(a: before, b: after)
    #expect(!diff.identical)
    #expect(diff.specChanges == [BundleDiff.Change(path: "variants.eg.policy.params.epsilon", old: "0.05", new: "0.9")])
    let ctr = try #require(diff.metrics.first { $0.variant == "eg" && $0.metric == "ctr" })
    #expect(ctr.significant && ctr.isRegression)
    #expect((ctr.comparison?.ciUpper ?? 0) < 0)
    #expect(diff.metrics.filter { $0.variant == "ucb" }.allSatisfy { !$0.changed })
    let rule = try FailOnRule(parsing: "ctr:decrease")
    #expect(rule.fires(on: ctr))
    #expect(try !FailOnRule(parsing: "ucb.ctr:decrease").fires(on: ctr))
    #expect(try !FailOnRule(parsing: "ctr:increase").fires(on: ctr))
    #expect(throws: DiffError.self) { try FailOnRule(parsing: "crt:down") }
    let csv = DiffRenderer.render([(nil, diff)], format: .csv, all: false, rules: [rule])
    #expect(csv.contains(",eg,ctr,") && csv.contains("true,true,true,Welch\n"))

    // Not comparable: another horizon is flagged.
    let longer = try await Self.bundle(["horizon=4000"], root: root)
    #expect(try BundleDiff(a: before, b: longer).warnings.first?.contains("horizon") == true)
  }

  /// The same planted regression through the command: `--fail-on` exits 1 on it, 0 without it, 2 on a bad rule.
  @Test(.enabled(if: CommandLineTool.adlab != nil, "the adlab executable is not built; run `swift build` first"))
  func failOnGatesTheCommand() async throws {
    let root = try temporaryFolder("diff-gate")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let before = try await Self.bundle([], root: root)
    let after = try await Self.bundle(["variants.eg.policy.params.epsilon=0.9"], root: root)
    let gate = try CommandLineTool.run(["diff", before, after, "--fail-on", "ctr:decrease"], in: root)
    #expect(gate.status == 1, "\(gate.output)")
    #expect(gate.output.contains("fail-on: significant regression in eg.ctr"))
    #expect(try CommandLineTool.run(["diff", before, before, "--fail-on", "ctr:decrease"], in: root).status == 0)
    #expect(try CommandLineTool.run(["diff", before, after, "--fail-on", "ctr:sideways"], in: root).status == 2)
  }
}
