/// A rule a parameter value must satisfy, with the text that states it in errors and in `adlab plugins`.
public struct ParameterConstraint<Value: Sendable>: Sendable {
  /// E.g. "0 ≤ x ≤ 1" or "one of: paired, split".
  public let description: String
  /// The problem with a value, or nil when it is allowed.
  public let problem: @Sendable (Value) -> String?

  public init(_ description: String, problem: @escaping @Sendable (Value) -> String?) {
    self.description = description
    self.problem = problem
  }
}

extension ParameterConstraint where Value: Comparable & CustomStringConvertible {
  /// Between the bounds, both included.
  public static func range(_ bounds: ClosedRange<Value>) -> Self {
    Self("\(bounds.lowerBound) ≤ x ≤ \(bounds.upperBound)") { value in
      bounds.contains(value)
        ? nil : "\(value) is out of range; allowed: \(bounds.lowerBound) ≤ x ≤ \(bounds.upperBound)"
    }
  }

  /// At least the bound.
  public static func atLeast(_ bound: Value) -> Self {
    Self("x ≥ \(bound)") { value in value >= bound ? nil : "\(value) is too small; allowed: x ≥ \(bound)" }
  }

  /// Strictly above the bound.
  public static func greaterThan(_ bound: Value) -> Self {
    Self("x > \(bound)") { value in value > bound ? nil : "\(value) is too small; allowed: x > \(bound)" }
  }

  /// Above the lower bound and at most the upper one.
  public static func openClosed(_ lower: Value, _ upper: Value) -> Self {
    Self("\(lower) < x ≤ \(upper)") { value in
      value > lower && value <= upper ? nil : "\(value) is out of range; allowed: \(lower) < x ≤ \(upper)"
    }
  }
}

extension ParameterConstraint where Value == String {
  /// One of a fixed set of words.
  public static func oneOf(_ choices: [String]) -> Self {
    Self("one of: " + choices.joined(separator: ", ")) { value in
      if choices.contains(value) { return nil }
      var text = "'\(value)' is not allowed; use one of: " + choices.joined(separator: ", ")
      if let near = NameSuggestion.closest(to: value, in: choices).first { text += " (did you mean '\(near)'?)" }
      return text
    }
  }
}

extension ParameterConstraint {
  /// Applies an element rule to every element of a list.
  public static func each<Element>(_ rule: ParameterConstraint<Element>) -> Self where Value == [Element] {
    Self("each: \(rule.description)") { values in
      for (index, value) in values.enumerated() {
        if let problem = rule.problem(value) { return "element \(index): \(problem)" }
      }
      return nil
    }
  }

  /// Applies a rule to the value when it is present.
  public static func ifPresent<Wrapped>(_ rule: ParameterConstraint<Wrapped>) -> Self where Value == Wrapped? {
    Self(rule.description) { value in value.flatMap(rule.problem) }
  }
}
