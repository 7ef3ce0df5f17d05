import AdLabBuiltins
import Testing

@testable import AdLabCore

/// Each class of spec mistake is reported at its exact line and column, with its key path and a way out.
struct SpecErrorTests {
  static let valid = """
    name: t
    seed: 1
    horizon: 1000
    batch: 100
    environment: { plugin: bernoulli, params: { arms: 3 } }
    variants:
      a: { policy: ucb1 }
      b: { policy: { plugin: thompson } }
    """

  func diagnostics(_ text: String, overrides: [String] = []) -> [SpecDiagnostic] {
    do {
      _ = try SpecLoader.load(text: text, file: "s.yaml", overrides: overrides, registry: .builtin)
      Issue.record("expected an error")
      return []
    } catch let error as SpecError {
      return error.diagnostics
    } catch {
      Issue.record("unexpected error \(error)")
      return []
    }
  }

  @Test func validSpecLoadsWithDefaults() throws {
    let spec = try SpecLoader.load(text: Self.valid, file: "s.yaml", registry: .builtin).spec
    #expect(spec.replications == 10)
    #expect(spec.mode == .paired)
    #expect(spec.variants.map(\.name) == ["a", "b"])
    #expect(spec.reward.name == "click")
    #expect(spec.reportEvery == 100)
  }

  @Test func unknownTopLevelKeySuggestsNearest() {
    let d = diagnostics(Self.valid + "\nhorizn: 5\n")
    #expect(d.count == 1)
    #expect(d.first?.mark == SourceMark(line: 9, column: 1))
    #expect(d.first?.keyPath == "horizn")
    #expect(d.first?.description == "s.yaml:9:1: error: horizn: unknown key 'horizn'; did you mean 'horizon'?")
  }

  @Test func unknownParameterSuggestsNearest() {
    let text = Self.valid.replacingOccurrences(of: "{ arms: 3 }", with: "{ armz: 3 }")
    let d = diagnostics(text)
    #expect(d.map(\.keyPath) == ["environment.params.armz"])
    #expect(d.first?.mark == SourceMark(line: 5, column: 45))
    #expect(d.first?.suggestion == "did you mean 'arms'?")
  }

  @Test func unknownPluginSuggestsNearNames() {
    let text = Self.valid.replacingOccurrences(of: "policy: ucb1", with: "policy: ucb")
    let d = diagnostics(text)
    #expect(d.first?.keyPath == "variants.a.policy.plugin")
    #expect(d.first?.mark == SourceMark(line: 7, column: 16))
    #expect(d.first?.message == "unknown policy plugin 'ucb'")
    #expect(d.first?.suggestion == "did you mean 'ucb1'?")
  }

  @Test func missingRequiredKeyNamesIt() {
    let text = Self.valid.replacingOccurrences(of: "seed: 1\n", with: "")
    let d = diagnostics(text)
    #expect(d.map(\.message) == ["missing required key 'seed'"])
    #expect(d.first?.mark == SourceMark(line: 1, column: 1))
  }

  @Test func wrongTypeSaysWhatWasExpected() {
    let text = Self.valid.replacingOccurrences(of: "horizon: 1000", with: "horizon: lots")
    let d = diagnostics(text)
    #expect(d.first?.description == "s.yaml:3:10: error: horizon: expected an integer, found a string 'lots'")
  }

  @Test func outOfRangeSaysWhatIsAllowed() {
    let text = Self.valid.replacingOccurrences(
      of: "policy: ucb1", with: "policy: { plugin: epsilon-greedy, params: { epsilon: 1.5 } }")
    let d = diagnostics(text)
    #expect(d.first?.keyPath == "variants.a.policy.params.epsilon")
    #expect(d.first?.message == "1.5 is out of range; allowed: 0.0 ≤ x ≤ 1.0")
    #expect(d.first?.mark == SourceMark(line: 7, column: 61))
  }

  @Test func duplicateKeyIsAnError() {
    #expect(throws: YAMLError.self) {
      try SpecLoader.load(text: Self.valid + "\nseed: 2\n", file: "s.yaml", registry: .builtin)
    }
  }

  @Test func severalMistakesAreReportedTogether() {
    let text =
      Self.valid
      .replacingOccurrences(of: "horizon: 1000", with: "horizon: -5")
      .replacingOccurrences(of: "policy: ucb1", with: "policy: ucbb")
      + "\ncomparison: { mode: pared }\n"
    let d = diagnostics(text)
    #expect(d.map(\.keyPath) == ["horizon", "variants.a.policy.plugin", "comparison.mode"])
    #expect(d.last?.message.contains("did you mean 'paired'") == true)
  }

  @Test func crossFieldProblemIsReported() {
    let text = Self.valid.replacingOccurrences(of: "{ arms: 3 }", with: "{ arms: 3, ctrs: [0.1, 0.2] }")
    let d = diagnostics(text)
    #expect(d.first?.message == "ctrs lists 2 rates but arms is 3; set arms: 2")
  }

  @Test func batchLargerThanHorizon() {
    let d = diagnostics(Self.valid.replacingOccurrences(of: "batch: 100", with: "batch: 5000"))
    #expect(d.first?.keyPath == "batch")
    #expect(d.first?.suggestion == "use a batch of at most 1000")
  }

  @Test func errorTextShowsTheLineWithACaret() throws {
    let error = try #require(throws: SpecError.self) {
      try SpecLoader.load(
        text: Self.valid.replacingOccurrences(of: "horizon: 1000", with: "horizon: lots"), file: "s.yaml",
        registry: .builtin)
    }
    // The offending line, then a caret under its value.
    let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let quoted = try #require(lines.firstIndex { $0.hasSuffix("horizon: lots") }, "\(error.description)")
    let caretLine = try #require(lines.dropFirst(quoted + 1).first, "no line after the quoted one")
    let valueColumn = try #require(lines[quoted].range(of: "lots")).lowerBound.utf16Offset(in: lines[quoted])
    let caretColumn = try #require(caretLine.firstIndex(of: "^"), "no caret: \(error.description)").utf16Offset(
      in: caretLine)
    #expect(caretColumn == valueColumn, "\(error.description)")
  }

  @Test func overridesAreCheckedLikeTheFile() throws {
    let spec = try SpecLoader.load(
      text: Self.valid, file: "s.yaml", overrides: ["horizon=2000", "variants.a.policy.params.c=0.5"],
      registry: .builtin
    ).spec
    #expect(spec.horizon == 2000)
    #expect(spec.variants[0].policy.parameters["c"] == .double(0.5))

    let d = diagnostics(
      Self.valid, overrides: ["horizon=2000", "variants.b.policy.params.prior_alfa=2", "variants.a.policy.params.c=-1"])
    #expect(d.count == 2)
    let unknown = try #require(d.first { $0.keyPath.hasSuffix("prior_alfa") })
    #expect(unknown.file == "--set variants.b.policy.params.prior_alfa=2")
    #expect(unknown.suggestion == "did you mean 'prior_alpha'?")
    #expect(
      d.first { $0.keyPath.hasSuffix(".c") }?.description
        == "--set variants.a.policy.params.c=-1:1:28: error: variants.a.policy.params.c: -1.0 is out of range; allowed: 0.0 ≤ x ≤ 100.0"
    )
  }

  @Test func malformedOverride() {
    #expect(throws: SpecError.self) { try Override(parsing: "horizon") }
    #expect(throws: SpecError.self) { try Override(parsing: "a..b=1") }
  }

  @Test func resolvedJSONReadsBackToTheSameSpec() throws {
    let spec = try SpecLoader.load(text: Self.valid, file: "s.yaml", registry: .builtin).spec
    let text = spec.resolvedJSON.rendered()
    let again = try SpecLoader.load(text: text, file: "resolved.json", registry: .builtin).spec
    #expect(again.resolvedJSON.rendered() == text)
  }
}
