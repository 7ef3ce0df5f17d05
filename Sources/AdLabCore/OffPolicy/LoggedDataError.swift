/// Problems reading logged data, each naming the file and, for a bad entry, its 1-based row (counting the
/// header as row 1, as spreadsheets do) and column, with what to do about it.
public enum LoggedDataError: Error, CustomStringConvertible, Equatable {
  case missingFile(path: String, hint: String)
  case missingColumn(file: String, column: String)
  case badNumber(file: String, row: Int, column: String, value: String)
  case missingPropensity(file: String, row: Int, column: String)
  case propensityOutOfRange(file: String, row: Int, column: String, value: Double)
  case unknownAction(file: String, row: Int, column: String, value: String, known: Int)
  case badSlot(file: String, row: Int, column: String, value: Int, slots: Int)
  case wrongFieldCount(file: String, row: Int, expected: Int, found: Int)
  case empty(file: String)
  /// A whole number too large for what it names (an action id or slot must fit in 32 bits and the limit).
  case valueTooLarge(file: String, row: Int, column: String, value: Int, limit: Int)
  /// A column whose name would become a feature AdLab generates itself.
  case reservedColumn(file: String, column: String, feature: String)
  /// A quoted field still open at the end of the file (a missing closing quote).
  case unterminatedQuote(file: String, row: Int)
  /// Anything else (a failed download, a checksum mismatch, a missing tool), already phrased for people.
  case other(String)

  public var description: String {
    switch self {
    case .missingFile(let path, let hint): return "\(path): no such file; \(hint)"
    case .missingColumn(let file, let column): return "\(file): missing column '\(column)' in the header row"
    case .badNumber(let file, let row, let column, let value):
      return "\(file):\(row): column '\(column)': '\(value)' is not a number"
    case .missingPropensity(let file, let row, let column):
      return
        "\(file):\(row): column '\(column)': the propensity is missing; off-policy estimators need the logging probability of every round"
    case .propensityOutOfRange(let file, let row, let column, let value):
      return "\(file):\(row): column '\(column)': propensity \(value) is outside (0, 1]"
    case .unknownAction(let file, let row, let column, let value, let known):
      return
        "\(file):\(row): column '\(column)': unknown action '\(value)'; actions are 0..<\(known) (or ids listed in the item file)"
    case .badSlot(let file, let row, let column, let value, let slots):
      return "\(file):\(row): column '\(column)': slot \(value) is outside 0..<\(slots)"
    case .wrongFieldCount(let file, let row, let expected, let found):
      return "\(file):\(row): \(found) fields where the header has \(expected)"
    case .empty(let file): return "\(file): no rounds (only a header, or nothing)"
    case .valueTooLarge(let file, let row, let column, let value, let limit):
      return "\(file):\(row): column '\(column)': \(value) is too large; at most \(limit)"
    case .reservedColumn(let file, let column, let feature):
      return
        "\(file): column '\(column)' would be the feature '\(feature)', which AdLab generates itself; rename the column"
    case .unterminatedQuote(let file, let row):
      return "\(file):\(row): a quoted field starting in this row is never closed; add the missing '\"'"
    case .other(let text): return text
    }
  }
}
