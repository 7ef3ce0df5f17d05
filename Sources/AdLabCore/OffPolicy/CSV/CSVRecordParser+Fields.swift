extension CSVRecordParser {
  /// Field `column` of the current record as a Double; a bad one is `badNumber` naming file, line and column.
  @inline(__always) func double(_ column: Int) throws(LoggedDataError) -> Double {
    guard let value = CSVNumber.double(field(column)) else {
      throw .badNumber(file: file, row: recordLine, column: header[column], value: text(column))
    }
    return value
  }

  /// Field `column` as a whole number (written "3" or "3.0", below 10¹⁵ in magnitude).
  @inline(__always) func int(_ column: Int) throws(LoggedDataError) -> Int {
    let value = try double(column)
    guard value == value.rounded(), abs(value) < 1e15 else {
      throw .badNumber(file: file, row: recordLine, column: header[column], value: text(column))
    }
    return Int(value)
  }

  /// Field `column` as a logging propensity: present and in (0, 1].
  @inline(__always) func propensity(_ column: Int) throws(LoggedDataError) -> Double {
    if isBlank(column) { throw .missingPropensity(file: file, row: recordLine, column: header[column]) }
    let p = try double(column)
    guard p > 0, p <= 1 else {
      throw .propensityOutOfRange(file: file, row: recordLine, column: header[column], value: p)
    }
    return p
  }

  /// The categorical id of field `column` (its bytes hashed, not trimmed).
  @inline(__always) func hash(_ column: Int) -> UInt64 { stableID(field(column)) }

  /// Whether field `column` is empty or only spaces and tabs.
  func isBlank(_ column: Int) -> Bool { field(column).allSatisfy { $0 == 0x20 || $0 == 0x09 } }

  /// Whether field `column` is exactly `bytes`.
  func equals(_ column: Int, _ bytes: [UInt8]) -> Bool {
    let value = field(column)
    return value.count == bytes.count && zip(value, bytes).allSatisfy { $0 == $1 }
  }

  /// Field `column` as text (for messages).
  func text(_ column: Int) -> String { String(decoding: field(column), as: UTF8.self) }

  /// Throws `wrongFieldCount` unless the current record has one field per header column.
  @inline(__always) func checkFieldCount() throws(LoggedDataError) {
    if fieldCount != header.count {
      throw .wrongFieldCount(file: file, row: recordLine, expected: header.count, found: fieldCount)
    }
  }
}
