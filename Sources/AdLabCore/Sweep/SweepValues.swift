import Foundation

/// Turns sweep expressions into YAML value nodes that carry the marks of what the user wrote, so a bad
/// value in any cell is reported at its place in the spec file or `--set` argument.
enum SweepValues {
  /// Parses one item as a YAML value, its marks moved to `line` and shifted to the item's column.
  ///
  /// - Throws: `SpecError` when the item is not valid YAML.
  static func node(_ item: SweepExpression.Item, file: String, line: Int, columnOffset: Int, keyPath: String)
    throws(SpecError) -> YAMLNode
  {
    let mark = SourceMark(line: line <= 0 ? 1 : line, column: item.column + columnOffset)
    let parsed: YAMLNode?
    do {
      parsed = try YAMLParser.parse(item.text, file: file)
    } catch {
      throw SpecError([
        SpecDiagnostic(
          file: file, mark: mark, keyPath: keyPath, message: "'\(item.text)' is not a valid YAML value: \(error)")
      ])
    }
    let node = parsed ?? .scalar(YAMLScalar(text: "", isPlain: true, tag: nil, mark: SourceMark(line: 1, column: 1)))
    return node.relocated(toLine: line, columnOffset: item.column + columnOffset - 1)
  }

  /// The values of a discrete expression (one value, a list, a choice, a range).
  ///
  /// - Precondition: the expression is not continuous.
  static func discrete(_ expression: SweepExpression, file: String, line: Int, columnOffset: Int, keyPath: String)
    throws(SpecError) -> [YAMLNode]
  {
    switch expression {
    case .single(let item):
      return [try node(item, file: file, line: line, columnOffset: columnOffset, keyPath: keyPath)]
    case .list(let items):
      var nodes: [YAMLNode] = []
      for item in items {
        nodes.append(try node(item, file: file, line: line, columnOffset: columnOffset, keyPath: keyPath))
      }
      return nodes
    case .range(let start, let stop, let step, let integral, let column):
      let count = Int(((stop - start) / step).rounded(.up))
      let mark = SourceMark(line: line, column: column + columnOffset)
      return (0..<count).map { number(start + Double($0) * step, integral: integral, mark: mark) }
    case .uniform, .logUniform:
      preconditionFailure("continuous expressions have no list of values")
    }
  }

  /// A plain scalar holding `x`, rounded to 12 significant digits so `range(0.1, 0.5, 0.1)` gives 0.3,
  /// not 0.30000000000000004.
  static func number(_ x: Double, integral: Bool, mark: SourceMark, digits: Int = 12) -> YAMLNode {
    let text: String
    if integral {
      text = String(Int(x.rounded()))
    } else {
      let rounded = Double(String(format: "%.\(digits)g", x)) ?? x
      text = JSONValue.format(rounded)
    }
    return .scalar(YAMLScalar(text: text, isPlain: true, tag: nil, mark: mark))
  }
}
