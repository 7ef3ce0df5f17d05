import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// What used to trap or fail only at run time is a spec error with the offending key's position (issue 14).
struct SpecTimeCheckTests {
  func diagnostics(_ text: String) -> [SpecDiagnostic] {
    do {
      _ = try SpecLoader.load(text: text, file: "s.yaml", registry: .builtin)
      Issue.record("expected a spec error")
    } catch let error as SpecError {
      return error.diagnostics
    } catch {
      Issue.record("unexpected error \(error)")
    }
    return []
  }

  static func spec(environment: String = "{ plugin: bernoulli, params: { arms: 3 } }", variant: String) -> String {
    """
    name: t
    seed: 1
    horizon: 1000
    batch: 100
    environment: \(environment)
    variants:
      a: \(variant)
    """
  }

  @Test func conversionObjectiveOnAModelWithoutAConversionHeadIsASpecError() throws {
    let found = diagnostics(
      Self.spec(
        environment: "{ plugin: ecommerce, params: { users: 200, items: 60, ads: 10 } }",
        variant: "{ policy: { plugin: greedy-model, params: { objective: conversion } }, model: logistic }"))
    let d = try #require(found.first)
    #expect(found.count == 1)
    #expect(d.keyPath == "variants.a.policy.params.objective")
    #expect(d.mark == SourceMark(line: 7, column: 61))
    #expect(d.message.contains("needs pCVR"))
    // With a conversion head the same policy is fine.
    _ = try SpecLoader.load(
      text: Self.spec(
        environment: "{ plugin: ecommerce, params: { users: 200, items: 60, ads: 10 } }",
        variant:
          "{ policy: { plugin: greedy-model, params: { objective: conversion } }, model: { plugin: deepfm, params: { conversion: esmm } } }"
      ),
      file: "s.yaml", registry: .builtin)
  }

  /// DeepFM without a conversion head declared predicts_conversions (an optional compared with `.none`), so this
  /// passed `validate`; the model conformance suite's capability check found it.
  @Test func conversionObjectiveOnDeepFMWithoutAConversionHeadIsASpecError() throws {
    let found = diagnostics(
      Self.spec(
        environment: "{ plugin: ecommerce, params: { users: 200, items: 60, ads: 10 } }",
        variant: "{ policy: { plugin: greedy-model, params: { objective: conversion } }, model: deepfm }"))
    #expect(found.count == 1)
    #expect(found.first?.message.contains("needs pCVR") == true)
  }

  /// Enum-valued parameters (`EnumParameter`) reject an unknown word where it stands, list the allowed ones and
  /// name the closest, for every plugin that declares one (here a shared `learn_from`, a reward's `base`).
  @Test func unknownEnumWordIsASpecErrorListingTheAllowedWords() throws {
    let found = diagnostics(Self.spec(variant: "{ policy: { plugin: ucb1, params: { learn_from: first_slot } } }"))
    let d = try #require(found.first)
    #expect(found.count == 1)
    #expect(d.keyPath == "variants.a.policy.params.learn_from")
    #expect(d.mark == SourceMark(line: 7, column: 54))
    #expect(d.message.contains("'first_slot' is not allowed; use one of: all, first-slot"))
    #expect(d.suggestion == "did you mean 'first-slot'?")
    let reward = diagnostics(
      Self.spec(variant: "{ policy: ucb1 }") + "\nreward: { plugin: fatigue-penalised, params: { base: margin } }")
    #expect(reward.first?.message.contains("use one of: click, conversion, revenue, profit") == true)
    // The word is written back as it was given.
    let loaded = try SpecLoader.load(
      text: Self.spec(variant: "{ policy: { plugin: ucb1, params: { learn_from: first-slot } } }"), file: "s.yaml",
      registry: .builtin)
    #expect(loaded.spec.variants[0].policy.parameters.rendered().contains("first-slot"))
  }

  @Test(arguments: [".inf", "-.inf", ".nan", "-1", "0"])
  func variantWeightMustBeFiniteAndPositive(weight: String) throws {
    let found = diagnostics(Self.spec(variant: "{ policy: ucb1, weight: \(weight) }"))
    #expect(found.map(\.keyPath) == ["variants.a.weight"])
  }

  @Test func everyRealPluginParameterIsFinite() throws {
    let found = diagnostics(Self.spec(variant: "{ policy: { plugin: ucb1, params: { c: .inf } } }"))
    #expect(found.map(\.keyPath) == ["variants.a.policy.params.c"])
    #expect(found.first?.message.contains("not a finite number") == true)
    let nan = diagnostics(
      Self.spec(environment: "{ plugin: bernoulli, params: { ctrs: [0.1, .nan] } }", variant: "{ policy: ucb1 }"))
    #expect(nan.map(\.keyPath) == ["environment.params.ctrs[1]"])
  }

  @Test func thompsonMatchingOnASlottedEnvironmentIsASpecError() throws {
    let found = diagnostics(
      Self.spec(
        environment: "{ plugin: ecommerce, params: { users: 200, items: 60, ads: 10, slots: 3 } }",
        variant: "{ policy: { plugin: thompson, params: { sampling: matching } } }"))
    #expect(found.map(\.keyPath) == ["variants.a.policy.params.sampling"])
  }

  /// `prior: zozotown` reads scores from OBD logs: on a simulated market it passed `validate` and trapped in `run`.
  @Test func logsOnlyPriorOnASimulatedMarketIsASpecError() throws {
    let found = diagnostics(
      Self.spec(variant: "{ policy: { plugin: epsilon-greedy-ranking, params: { prior: zozotown } } }"))
    #expect(found.map(\.keyPath) == ["variants.a.policy.params.prior"])
    #expect(found.first?.message.contains("simulates a market") == true)
    // Given scores run online.
    _ = try SpecLoader.load(
      text: Self.spec(variant: "{ policy: { plugin: epsilon-greedy-ranking, params: { scores: [0.1, 0.3, 0.2] } } }"),
      file: "s.yaml", registry: .builtin)
  }

  /// Per-item lists of the fixed-item-set policies are checked against the environment's declared item count, and
  /// a market that serves a subset of its ads per decision is refused where the policy is named.
  @Test func perItemListsMatchTheEnvironmentsItems() throws {
    let scores = diagnostics(
      Self.spec(variant: "{ policy: { plugin: epsilon-greedy-ranking, params: { scores: [0.5] } } }"))
    #expect(scores.map(\.keyPath) == ["variants.a.policy.params.scores"])
    #expect(scores.first?.message.contains("has 1 values but the environment has 3 items") == true)
    let beta = diagnostics(
      Self.spec(variant: "{ policy: { plugin: bernoulli-ts, params: { alpha: [1], beta: [1, 2] } } }"))
    #expect(beta.map(\.keyPath) == ["variants.a.policy.params.beta"])
    let subset = diagnostics(
      Self.spec(
        environment: "{ plugin: ecommerce, params: { users: 200, items: 60, ads: 10, candidates: 5 } }",
        variant: "{ policy: bernoulli-ts }"))
    #expect(subset.count == 1 && subset.first?.message.contains("serves 5 of 10 ads") == true)
  }

  /// Feature names a policy's parameters give are checked against the environment's declared schema.
  @Test func featureNamesAreCheckedAgainstTheDeclaredSchema() throws {
    let linucb = diagnostics(
      Self.spec(
        environment: "{ plugin: contextual, params: { arms: 3, dimension: 4 } }",
        variant: "{ policy: { plugin: linucb, params: { features: [age] } } }"))
    #expect(linucb.map(\.keyPath) == ["variants.a.policy.params.features"])
    #expect(linucb.first?.message.contains("'age'") == true)
    let ecommerce = "{ plugin: ecommerce, params: { users: 200, items: 60, ads: 10 } }"
    let cap = diagnostics(
      Self.spec(
        environment: ecommerce, variant: "{ policy: { plugin: frequency-cap, params: { exposure_feature: nope } } }"))
    #expect(cap.map(\.keyPath) == ["variants.a.policy.params.exposure_feature"])
    let value = diagnostics(
      Self.spec(
        environment: ecommerce,
        variant:
          "{ policy: { plugin: greedy-model, params: { objective: value, value_feature: nope } }, model: logistic }"))
    #expect(value.map(\.keyPath) == ["variants.a.policy.params.value_feature"])
    let din = diagnostics(
      Self.spec(
        environment: "{ plugin: contextual, params: { arms: 3, dimension: 4 } }",
        variant: "{ policy: greedy-model, model: din }"))
    #expect(din.map(\.keyPath) == ["variants.a.model.params"])
    #expect(din.first?.message.contains("behaviour sequence") == true)
    let cross = diagnostics(
      Self.spec(
        environment: ecommerce,
        variant: "{ policy: greedy-model, model: { plugin: logistic, params: { crosses: [nope*ad_id] } } }"))
    #expect(cross.map(\.keyPath) == ["variants.a.model.params.crosses"])
    // The defaults on the environments they are made for stay valid.
    _ = try SpecLoader.load(
      text: Self.spec(environment: ecommerce, variant: "{ policy: frequency-cap }"), file: "s.yaml", registry: .builtin)
    _ = try SpecLoader.load(
      text: Self.spec(environment: ecommerce, variant: "{ policy: q-learning }"), file: "s.yaml", registry: .builtin)
  }

  @Test func driftThatNeedsTooManyRatesIsASpecError() throws {
    let text = Self.spec(
      environment: "{ plugin: bernoulli, params: { arms: 1000, drift: 0.1, drift_interval: 1 } }",
      variant: "{ policy: ucb1 }"
    )
    .replacingOccurrences(of: "horizon: 1000", with: "horizon: 100000000")
    let found = diagnostics(text)
    #expect(found.map(\.keyPath) == ["environment.params.drift_interval"])
  }
}

/// Logged CSV values are range-checked before narrowing, and columns may not take generated feature names.
struct LoggedCSVLimitTests {
  func write(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("adlab-csv-\(UUID().uuidString).csv").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func actionIdsThatDoNotFitAreErrorsNotTraps() throws {
    let path = try write("action,reward,propensity\n0,1,0.5\n4294967296,0,0.5\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(
      throws: LoggedDataError.valueTooLarge(
        file: path, row: 3, column: "action", value: 4_294_967_296, limit: LoggedBanditCSV.maxAction)
    ) {
      try LoggedBanditCSV.read(path: path, name: "t", cache: nil)
    }
  }

  @Test(arguments: ["action", "position"])
  func categoryColumnsMayNotTakeGeneratedFeatureNames(feature: String) throws {
    let path = try write("action,reward,propensity,category_\(feature)\n0,1,0.5,x\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: LoggedDataError.reservedColumn(file: path, column: "category_\(feature)", feature: feature)) {
      try LoggedBanditCSV.read(path: path, name: "t", cache: nil)
    }
  }
}
