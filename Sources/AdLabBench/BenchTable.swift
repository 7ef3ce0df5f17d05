/// A plain-text table with aligned columns, as every `adlab bench …` command prints its figures.
///
/// Columns are as wide as their widest cell (header included) and separated by two spaces; text columns align
/// left and figure columns right. A peer's figure and the `AdLab / peer` ratio are ordinary columns, the ratio
/// formatted by ``BenchFormat/ratio(_:_:digits:)`` so every table compares the same way.
public struct BenchTable: Sendable {
  /// How a column's cells align.
  public enum Alignment: Sendable { case left, right }

  /// One column: its header and alignment.
  public struct Column: Sendable {
    public var header: String
    public var alignment: Alignment
    public init(_ header: String, _ alignment: Alignment = .right) {
      self.header = header
      self.alignment = alignment
    }
  }

  public let title: String?
  public let columns: [Column]
  public private(set) var rows: [[String]] = []

  /// A table whose first column is a left-aligned label and the others right-aligned figures.
  public init(title: String? = nil, label: String, figures: [String]) {
    self.init(title: title, columns: [Column(label, .left)] + figures.map { Column($0) })
  }

  public init(title: String? = nil, columns: [Column]) {
    self.title = title
    self.columns = columns
  }

  /// Appends a row; missing cells print as `-`, extra cells are dropped.
  public mutating func add(_ cells: [String]) {
    rows.append((0..<columns.count).map { $0 < cells.count ? cells[$0] : "-" })
  }

  /// The table's lines: the title (if any), the header and one line per row, without trailing spaces.
  public var lines: [String] {
    let widths = columns.indices.map { c in rows.reduce(columns[c].header.count) { max($0, $1[c].count) } }
    func line(_ cells: [String]) -> String {
      var text = ""
      for (c, cell) in cells.enumerated() {
        let padding = String(repeating: " ", count: widths[c] - cell.count)
        if c > 0 { text += "  " }
        text += columns[c].alignment == .left ? cell + padding : padding + cell
      }
      while text.hasSuffix(" ") { text.removeLast() }
      return text
    }
    return (title.map { [$0] } ?? []) + [line(columns.map(\.header))] + rows.map(line)
  }

  /// Sends each of ``lines`` to `output` (`print` by default).
  public func print(to output: (String) -> Void = { Swift.print($0) }) {
    lines.forEach(output)
  }
}
