/// A position in a source text: 1-based line and column.
///
/// Columns count Unicode scalars (characters as libyaml counts them), not bytes. libyaml's own
/// marks are 0-based; the parser adds one to both fields.
public struct SourceMark: Hashable, Sendable, Comparable,
  CustomStringConvertible
{
  /// The 1-based line.
  public var line: Int
  /// The 1-based column, in Unicode scalars.
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  /// `line:column`, as in `3:7`.
  public var description: String { "\(line):\(column)" }

  public static func < (lhs: SourceMark, rhs: SourceMark) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }
}
