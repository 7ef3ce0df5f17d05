import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// Off-policy evaluation end to end: determinism, decision logs of simulated runs, and spec errors.
struct OffPolicyRunnerTests {
  static func spec(
    _ environment: String, estimators: String = "[dm, ipw, snipw, dr, sndr, switch-dr, replay]",
    crosses: String = "[action*context]",
    variants: String =
      "  random: { policy: random }\n  ts: { policy: { plugin: bernoulli-ts, params: { beta: [4], samples: 2000 } } }"
  ) throws -> LoadedSpec {
    try SpecLoader.load(
      text: """
        name: ope-test
        seed: 5
        horizon: 100
        batch: 10
        environment: \(environment)
        variants:
        \(variants)
        evaluation:
          estimators: \(estimators)
          model: { plugin: logistic, params: { alpha: 1, crosses: \(crosses) } }
          folds: 2
          epochs: 1
          bootstrap: 30
        """, file: "ope-test.yaml", registry: .builtin)
  }

  static let synthetic = "{ plugin: logged, params: { dataset: synthetic, rounds: 1500, actions: 4, features: 2 } }"

  @Test func bundleIsIdenticalForAnyJobs() async throws {
    let loaded = try Self.spec(Self.synthetic)
    let one = BundleContents(
      evaluation: try await OffPolicyRunner(jobs: 1).run(loaded.spec), specText: loaded.sourceText)
    let three = BundleContents(
      evaluation: try await OffPolicyRunner(jobs: 3).run(loaded.spec), specText: loaded.sourceText)
    #expect(one.digest == three.digest)
    #expect(
      Set(one.files.keys) == [
        "spec.yaml", "resolved.json", "summary.json", "summary.md", "estimates.csv", "sources.json",
      ])
    let csv = String(decoding: one.files["estimates.csv"] ?? Data(), as: UTF8.self)
    let rows: Int = csv.split(separator: "\n").count
    #expect(rows == 15)
    #expect(OffPolicyRunner.isLogged(loaded.spec))
  }

  /// A simulated run with `log: decisions` keeps its decision log in the bundle; the `logged` environment replays
  /// it, and the truth of the logging policy itself is exact (its expected rewards are in the log).
  @Test func decisionLogOfASimulatedRunIsReplayable() async throws {
    let root = try temporaryFolder("ope-log")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let simulated = try SpecLoader.load(
      text: """
        name: logged-sim
        seed: 3
        replications: 2
        horizon: 1500
        batch: 100
        log: decisions
        environment: { plugin: bernoulli, params: { arms: 4 } }
        variants: { random: { policy: random }, eg: { policy: epsilon-greedy } }
        """, file: "logged-sim.yaml", registry: .builtin)
    let result = try await ExperimentRunner(jobs: 2).run(simulated.spec)
    let contents = BundleContents(result: result, summary: ExperimentSummary(result), specText: simulated.sourceText)
    let log = String(decoding: contents.files["decisions.csv"] ?? Data(), as: UTF8.self)
    #expect(
      log.hasPrefix("variant,replication,step,user,slot,action,candidate_id,propensity,reward,click,expected_reward_0"))
    let lines: Int = log.split(separator: "\n").count
    #expect(lines == 6001)
    let outcome = try BundleWriter(root: root).save(
      contents, spec: simulated.spec, provenance: .current(commandLine: [], jobs: 1), wallSeconds: 0)
    guard case .created(let bundle) = outcome else {
      Issue.record("bundle not created")
      return
    }

    let ope = try Self.spec(
      "{ plugin: logged, params: { dataset: bundle, path: '\(bundle)', variant: random } }",
      estimators: "[ipw, snipw, dr]", crosses: "[]", variants: "  random: { policy: random }")
    let evaluated = try await OffPolicyRunner(jobs: 1).run(ope.spec)
    let variant = try #require(evaluated.segments.first?.variants.first)
    let truth = try #require(variant.truth)
    #expect(evaluated.segments.first?.rounds == 3000)
    for e in variant.estimates {
      let error: Double = abs(e.value - truth), bound: Double = 4 * (e.standardError ?? 1)
      #expect(error < bound, "\(e.estimator) \(e.value) vs \(truth)")
    }
  }

  /// DM with a correctly specified, cross-fitted reward model (per-action logistic in the context, as the logs'
  /// click model is) lands near the exact truth, as does DR.
  @Test func dmWithACorrectFittedModelIsClose() async throws {
    let loaded = try Self.spec(
      "{ plugin: logged, params: { dataset: synthetic, rounds: 8000, actions: 4, features: 2, logging: softmax } }",
      estimators: "[dm, dr]", variants: "  random: { policy: random }")
    var spec = loaded.spec
    spec.evaluation?.epochs = 4
    spec.evaluation?.batch = 64
    let result = try await OffPolicyRunner(jobs: 2).run(spec)
    let variant = try #require(result.segments.first?.variants.first)
    let truth = try #require(variant.truth)
    for e in variant.estimates {
      let relative: Double = abs(e.value - truth) / truth
      #expect(relative < 0.08, "\(e.estimator) \(e.value) vs \(truth)")
    }
  }

  @Test func unknownEstimatorIsASpecErrorWithLocation() throws {
    #expect {
      try Self.spec(Self.synthetic, estimators: "[ipw, drr]")
    } throws: { error in
      let text = "\(error)"
      return text.contains("ope-test.yaml:") && text.contains("unknown estimator 'drr'")
        && text.contains("did you mean")
    }
  }

  @Test func replayOnNonUniformLogsSaysWhatToDo() async throws {
    let loaded = try Self.spec(
      "{ plugin: logged, params: { dataset: synthetic, rounds: 300, logging: softmax } }", estimators: "[replay]")
    await #expect(throws: OffPolicyError.self) { try await OffPolicyRunner(jobs: 1).run(loaded.spec) }
  }

  @Test func simulatedEnvironmentIsNotLogged() throws {
    let loaded = try Self.spec("{ plugin: bernoulli }", estimators: "[ipw]")
    #expect(!OffPolicyRunner.isLogged(loaded.spec))
  }
}
