/// The right-hand side of `--set key.path=…` or of a `sweep:` entry, in Hydra's override grammar:
///
/// | written | meaning |
/// |---|---|
/// | `0.5`, `thompson`, `[1, 2]`, `{a: 1}` | one YAML value |
/// | `1,2,3` | a list of values (a sweep axis); commas inside brackets or quotes do not split |
/// | `choice(a, b, c)` | the same list, written as Hydra writes it |
/// | `range(stop)`, `range(start, stop)`, `range(start, stop, step)` | numbers from start up to, not including, stop |
/// | `uniform(low, high)`, `interval(low, high)` | a real drawn uniformly (random sweeps only) |
/// | `loguniform(low, high)` | a positive real whose logarithm is uniform (random sweeps only) |
public enum SweepExpression: Sendable, Equatable {
  /// One YAML value as text, with the 1-based column where it starts.
  public struct Item: Sendable, Equatable {
    public var text: String
    public var column: Int
  }

  case single(Item)
  case list([Item])
  case range(start: Double, stop: Double, step: Double, integral: Bool, column: Int)
  case uniform(low: Double, high: Double, column: Int)
  case logUniform(low: Double, high: Double, column: Int)

  /// True for everything but a single value.
  public var isSweep: Bool {
    if case .single = self { return false }
    return true
  }

  static let functions = ["choice", "range", "uniform", "interval", "loguniform"]

  /// Parses `text`; `column` is where `text` starts in what the user wrote, so errors point at the mistake.
  ///
  /// - Throws: `OverrideSyntaxError` with the column of the first mistake.
  public static func parse(_ text: String, column: Int = 1) throws(OverrideSyntaxError) -> SweepExpression {
    let scalars = Array(text.unicodeScalars)
    let trimmedStart = scalars.firstIndex { $0 != " " } ?? scalars.count
    if let call = try functionCall(scalars, from: trimmedStart, column: column) { return call }
    let items = try splitTopLevel(scalars, from: 0, to: scalars.count, column: column)
    if items.count == 1 { return .single(items[0]) }
    return .list(items)
  }

  /// `name(args)` when the text is a call of a known sweep function (or a near miss of one).
  private static func functionCall(_ s: [Unicode.Scalar], from start: Int, column: Int) throws(OverrideSyntaxError)
    -> SweepExpression?
  {
    var end = start
    while end < s.count, s[end].properties.isAlphabetic || s[end] == "_" { end += 1 }
    guard end > start, end < s.count, s[end] == "(" else { return nil }
    let name = String(String.UnicodeScalarView(s[start..<end]))
    var last = s.count - 1
    while last > end, s[last] == " " { last -= 1 }
    guard s[last] == ")" else { return nil }
    guard functions.contains(name) else {
      if name.count >= 3,
        let near = functions.first(where: { NameSuggestion.editDistance(name, $0) <= max(1, name.count / 3) })
      {
        throw OverrideSyntaxError(
          column: column + start, message: "unknown sweep function '\(name)'", suggestion: "did you mean '\(near)'?")
      }
      return nil
    }
    let arguments = try splitTopLevel(s, from: end + 1, to: last, column: column)
    let nameColumn = column + start
    func numbers(_ allowed: ClosedRange<Int>) throws(OverrideSyntaxError) -> [Double] {
      guard allowed.contains(arguments.count), !(arguments.count == 1 && arguments[0].text.isEmpty) else {
        let counts =
          allowed.lowerBound == allowed.upperBound
          ? "\(allowed.lowerBound)" : "\(allowed.lowerBound) to \(allowed.upperBound)"
        throw OverrideSyntaxError(
          column: nameColumn, message: "\(name)() takes \(counts) numbers, got \(arguments.count)")
      }
      var values: [Double] = []
      for argument in arguments {
        guard let value = Double(argument.text), value.isFinite else {
          throw OverrideSyntaxError(
            column: argument.column, message: "'\(argument.text)' is not a number",
            suggestion: "\(name)() takes numbers")
        }
        values.append(value)
      }
      return values
    }
    switch name {
    case "choice":
      if arguments.contains(where: { $0.text.isEmpty }) {
        throw OverrideSyntaxError(
          column: arguments.first { $0.text.isEmpty }?.column ?? nameColumn, message: "empty choice")
      }
      return .list(arguments)
    case "range":
      let v = try numbers(1...3)
      let (start, stop, step) = v.count == 1 ? (0, v[0], 1) : (v[0], v[1], v.count == 3 ? v[2] : 1)
      let stepColumn = arguments.count == 3 ? arguments[2].column : nameColumn
      guard step != 0 else { throw OverrideSyntaxError(column: stepColumn, message: "range() step must not be 0") }
      guard (stop - start) / step > 0 else {
        throw OverrideSyntaxError(
          column: nameColumn, message: "range(\(arguments.map(\.text).joined(separator: ", "))) is empty",
          suggestion: "start must be below stop for a positive step, above it for a negative step")
      }
      guard (stop - start) / step <= 100_000 else {
        throw OverrideSyntaxError(column: nameColumn, message: "range() would give more than 100000 values")
      }
      let integral = arguments.allSatisfy { Int($0.text) != nil }
      return .range(start: start, stop: stop, step: step, integral: integral, column: nameColumn)
    case "uniform", "interval":
      let v = try numbers(2...2)
      guard v[0] < v[1] else {
        throw OverrideSyntaxError(column: arguments[1].column, message: "\(name)() needs low < high")
      }
      return .uniform(low: v[0], high: v[1], column: nameColumn)
    default:  // loguniform
      let v = try numbers(2...2)
      guard v[0] > 0 else {
        throw OverrideSyntaxError(column: arguments[0].column, message: "loguniform() needs low > 0")
      }
      guard v[0] < v[1] else {
        throw OverrideSyntaxError(column: arguments[1].column, message: "loguniform() needs low < high")
      }
      return .logUniform(low: v[0], high: v[1], column: nameColumn)
    }
  }

  /// Splits `s[from..<to]` at commas outside brackets and quotes, trimming spaces around each item.
  private static func splitTopLevel(_ s: [Unicode.Scalar], from: Int, to: Int, column: Int) throws(OverrideSyntaxError)
    -> [Item]
  {
    var items: [Item] = []
    var openers: [(Unicode.Scalar, Int)] = []
    var quote: (Unicode.Scalar, Int)?
    var itemStart = from
    func close(_ end: Int) {
      var a = itemStart, b = end
      while a < b, s[a] == " " { a += 1 }
      while b > a, s[b - 1] == " " { b -= 1 }
      items.append(Item(text: String(String.UnicodeScalarView(s[a..<b])), column: column + a))
    }
    var i = from
    while i < to {
      let c = s[i]
      if let (q, _) = quote {
        if c == "\\", q == "\"" { i += 1 } else if c == q { quote = nil }
      } else {
        switch c {
        case "'", "\"": quote = (c, i)
        case "[", "{", "(": openers.append((c, i))
        case "]", "}", ")":
          let expected: Unicode.Scalar = c == "]" ? "[" : (c == "}" ? "{" : "(")
          guard let (open, _) = openers.last, open == expected else {
            throw OverrideSyntaxError(column: column + i, message: "unmatched '\(c)'")
          }
          openers.removeLast()
        case "," where openers.isEmpty:
          close(i)
          itemStart = i + 1
        default: break
        }
      }
      i += 1
    }
    if let (q, at) = quote { throw OverrideSyntaxError(column: column + at, message: "unterminated quote \(q)") }
    if let (open, at) = openers.last { throw OverrideSyntaxError(column: column + at, message: "unclosed '\(open)'") }
    close(to)
    if items.count > 1, let empty = items.first(where: { $0.text.isEmpty }) {
      throw OverrideSyntaxError(
        column: empty.column, message: "empty value in a comma list",
        suggestion: "write a,b,c without empty entries; quote a value that contains a comma")
    }
    return items
  }
}

/// A mistake in an override or sweep expression, at a 1-based column of what the user wrote.
public struct OverrideSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  public var column: Int
  public var message: String
  public var suggestion: String?

  public init(column: Int, message: String, suggestion: String? = nil) {
    self.column = column
    self.message = message
    self.suggestion = suggestion
  }

  public var description: String { "column \(column): \(message)" + (suggestion.map { "; \($0)" } ?? "") }
}
