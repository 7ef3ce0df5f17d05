import AdLabBuiltins
import Testing

@testable import AdLabCore

/// The Hydra-style override grammar shared by `--set` and `sweep:`: each form, and errors at the column of the mistake.
struct OverrideGrammarTests {
  @Test func singleValues() throws {
    let o = try Override(parsing: "variants.ucb.policy.params.c=0.5")
    #expect(o.path == ["variants", "ucb", "policy", "params", "c"])
    #expect(o.expression == .single(.init(text: "0.5", column: 30)))
    #expect(!o.expression.isSweep)
    // Commas inside brackets, braces and quotes do not make a sweep.
    for text in ["a=[1, 2]", "a={x: 1, y: 2}", "a='x,y'", "a=\"x,y\"", "a=f(1,2)"] {
      #expect(try !Override(parsing: text).expression.isSweep, "\(text)")
    }
  }

  @Test func commaListsAndChoice() throws {
    #expect(
      try SweepExpression.parse("1,2, 3")
        == .list([.init(text: "1", column: 1), .init(text: "2", column: 3), .init(text: "3", column: 6)]))
    #expect(
      try SweepExpression.parse("[1,2],[3]") == .list([.init(text: "[1,2]", column: 1), .init(text: "[3]", column: 7)]))
    #expect(
      try SweepExpression.parse("choice(ucb1, thompson)")
        == .list([.init(text: "ucb1", column: 8), .init(text: "thompson", column: 14)]))
  }

  @Test func rangesAndDistributions() throws {
    #expect(try SweepExpression.parse("range(3)") == .range(start: 0, stop: 3, step: 1, integral: true, column: 1))
    #expect(try SweepExpression.parse("range(1, 4)") == .range(start: 1, stop: 4, step: 1, integral: true, column: 1))
    #expect(
      try SweepExpression.parse("range(0.1, 0.5, 0.1)")
        == .range(start: 0.1, stop: 0.5, step: 0.1, integral: false, column: 1))
    #expect(try SweepExpression.parse("uniform(0, 1)") == .uniform(low: 0, high: 1, column: 1))
    #expect(try SweepExpression.parse("interval(2, 3)") == .uniform(low: 2, high: 3, column: 1))
    #expect(try SweepExpression.parse("loguniform(0.01, 1)") == .logUniform(low: 0.01, high: 1, column: 1))
    let values = try SweepValues.discrete(
      .range(start: 0.1, stop: 0.5, step: 0.1, integral: false, column: 1), file: "f", line: 1, columnOffset: 0,
      keyPath: "x")
    #expect(values.compactMap { $0.scalar?.text } == ["0.1", "0.2", "0.3", "0.4"])
    let down = try SweepValues.discrete(
      try SweepExpression.parse("range(5, 0, -2)"), file: "f", line: 1, columnOffset: 0, keyPath: "x")
    #expect(down.compactMap { $0.scalar?.text } == ["5", "3", "1"])
  }

  /// (argument, column of the mistake, part of the message)
  static let mistakes: [(String, Int, String)] = [
    ("horizon", 8, "key.path=value"),
    ("=5", 1, "empty"),
    ("a..b=1", 3, "empty key"),
    ("a.b.=1", 4, "ends with a dot"),
    ("a b=1", 2, "cannot appear in a key"),
    ("a=1,,2", 5, "empty value"),
    ("a=[1, 2", 3, "unclosed '['"),
    ("a=1]", 4, "unmatched ']'"),
    ("a='x", 3, "unterminated quote"),
    ("a=range(1, x)", 12, "'x' is not a number"),
    ("a=range(1, 2, 0)", 15, "step must not be 0"),
    ("a=range(5, 1)", 3, "is empty"),
    ("a=range()", 3, "takes 1 to 3 numbers"),
    ("a=rnge(1, 5)", 3, "did you mean 'range'?"),
    ("a=uniform(2, 1)", 14, "low < high"),
    ("a=loguniform(0, 1)", 14, "low > 0"),
    ("a=choice(1,,2)", 12, "empty"),
  ]

  @Test(arguments: mistakes)
  func mistakesArePlacedAtTheirColumn(_ argument: String, _ column: Int, _ message: String) {
    do {
      _ = try Override(parsing: argument)
      Issue.record("\(argument) parsed")
    } catch {
      let d = error.diagnostics[0]
      #expect(d.file == "--set \(argument)")
      #expect(d.mark.column == column, "\(argument): \(d)")
      #expect(d.description.contains(message), "\(argument): \(d)")
    }
  }

  @Test func runRefusesASweepingSet() throws {
    let spec = "name: t\nseed: 1\nhorizon: 100\nenvironment: bernoulli\nvariants: { a: { policy: ucb1 } }\n"
    #expect(throws: SpecError.self) {
      try SpecLoader.load(text: spec, file: "s.yaml", overrides: ["seed=1,2"], registry: .builtin)
    }
    let loaded = try SpecLoader.load(
      text: spec, file: "s.yaml", overrides: ["seed=1,2"], registry: .builtin, allowSweeps: true)
    #expect(loaded.spec.sweep?.grid.count == 1)
    do {
      _ = try SpecLoader.load(
        text: spec, file: "s.yaml", overrides: ["seed=uniform(1, 2)"], registry: .builtin, allowSweeps: true)
      Issue.record("a continuous --set outside a random sweep loaded")
    } catch let error as SpecError {
      #expect(error.diagnostics[0].description.hasPrefix("--set seed=uniform(1, 2):1:6: error: seed: uniform()"))
    }
  }
}
