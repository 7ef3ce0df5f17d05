import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// Sweeps of logged specs: every cell evaluated off-policy from logs loaded once, tables assembled.
struct LoggedSweepTests {
  static let spec = """
    name: logged-sweep
    seed: 3
    horizon: 1
    batch: 1
    environment: { plugin: logged, params: { dataset: synthetic, rounds: 3000, actions: 4, features: 3 } }
    variants:
      greedy: { policy: { plugin: epsilon-greedy-ranking, params: { epsilon: 0.3, scores: [1, 2, 3, 4] } } }
    evaluation:
      estimators: [ipw, snipw, switch-dr]
      epochs: 1
      bootstrap: 20
    sweep:
      grid:
        evaluation.tau: [0.5, 100]
        variants.greedy.policy.params.epsilon: [0.1, 0.5]
    """

  @Test func aLoggedSweepEvaluatesEveryCellFromOneRead() async throws {
    let root = try temporaryFolder("logged-sweep")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let registry = PluginRegistry.builtin
    let plan = try SweepPlan.expand(
      SpecLoader.load(text: Self.spec, file: "logged-sweep.yaml", registry: registry, allowSweeps: true),
      registry: registry)
    let runner = SweepRunner(
      runner: ExperimentRunner(jobs: 2), provenance: Provenance.current(commandLine: ["test"], jobs: 2))
    let report = try await runner.run(plan, folder: "\(root)/sweep")
    #expect(report.ran == 4 && report.failed.isEmpty && report.assembled)
    let results = try SweepResults(folder: "\(root)/sweep")
    #expect(results.missing.isEmpty)
    #expect(results.columns.map(\.name).contains("greedy.switch-dr"))
    // τ changes Switch-DR, not IPW.
    func value(_ planIndex: Int, _ metric: String) -> Double? {
      results.cells.first { $0.index == plan.cells[planIndex].index }?.summary?.variants.first?.statistic(metric)?.mean
    }
    let keys = plan.cells.map {
      ($0.loaded.spec.evaluation?.tau ?? 0, $0.loaded.spec.variants[0].policy.parameters["epsilon"]?.double ?? 0)
    }
    for epsilon in [0.1, 0.5] {
      let small = try #require(keys.firstIndex { $0 == (0.5, epsilon) }),
        large = try #require(keys.firstIndex { $0 == (100, epsilon) })
      #expect(value(small, "ipw") != nil && value(small, "ipw") == value(large, "ipw"))
      #expect(value(small, "switch-dr") != value(large, "switch-dr"))
    }
    let csv = try String(contentsOfFile: "\(root)/sweep/sweep.csv", encoding: .utf8)
    #expect(csv.contains("switch-dr"))
  }

  @Test func theMemoLoadsEachLogOnce() async throws {
    let registry = PluginRegistry.builtin
    let plan = try SweepPlan.expand(
      SpecLoader.load(text: Self.spec, file: "logged-sweep.yaml", registry: registry, allowSweeps: true),
      registry: registry)
    let memo = LoggedSegmentMemo()
    var ipw: [Double] = []
    for cell in plan.cells {
      let result = try await OffPolicyRunner(jobs: 1, memo: memo).run(cell.loaded.spec)
      ipw.append(result.segments[0].variants[0].estimates[0].value)
    }
    #expect(memo.loads == 1)
    let alone = try await OffPolicyRunner(jobs: 1).run(plan.cells[0].loaded.spec)
    #expect(alone.segments[0].variants[0].estimates[0].value == ipw[0])
  }
}
