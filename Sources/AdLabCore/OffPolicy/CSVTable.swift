import Foundation

/// A CSV file read whole: a header and rows of fields. Fields may be double-quoted (RFC 4180, `""` for a quote);
/// quoted fields may not span lines, which no logged-bandit file needs.
struct CSVTable {
  let file: String
  let header: [String]
  /// Each row's fields, blank lines skipped.
  let rows: [[Substring]]
  /// The 1-based file line of each row, for errors (blank lines make it differ from `row + 2`).
  let lineNumbers: [Int]

  /// The file line of row `row`.
  func line(_ row: Int) -> Int { lineNumbers[row] }

  /// Reads `path`; `label` names the file in errors (defaults to the path).
  init(path: String, label: String? = nil) throws {
    let label = label ?? path
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LoggedDataError.missingFile(path: path, hint: "check the path")
    }
    try self.init(text: String(decoding: data, as: UTF8.self), file: label)
  }

  init(text: String, file: String) throws {
    self.file = file
    var lines: [(number: Int, text: Substring)] = []
    for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated()
    where !line.allSatisfy(\.isWhitespace) {
      lines.append((i + 1, line))
    }
    guard !lines.isEmpty else { throw LoggedDataError.empty(file: file) }
    header = Self.fields(lines.removeFirst().text).map { String($0).trimmingCharacters(in: .whitespaces) }
    var rows: [[Substring]] = []
    rows.reserveCapacity(lines.count)
    for line in lines {
      let fields = Self.fields(line.text)
      if fields.count != header.count {
        throw LoggedDataError.wrongFieldCount(file: file, row: line.number, expected: header.count, found: fields.count)
      }
      rows.append(fields)
    }
    self.rows = rows
    lineNumbers = lines.map(\.number)
  }

  /// The index of `name` in the header.
  func column(_ name: String) throws -> Int {
    guard let index = header.firstIndex(of: name) else { throw LoggedDataError.missingColumn(file: file, column: name) }
    return index
  }

  /// Columns whose names start with `prefix` followed by a number, ordered by that number.
  func numberedColumns(prefix: String) -> [Int] {
    header.enumerated().compactMap { i, name -> (Int, Int)? in
      guard name.hasPrefix(prefix), let n = Int(name.dropFirst(prefix.count)) else { return nil }
      return (n, i)
    }.sorted { $0.0 < $1.0 }.map(\.1)
  }

  /// The field at (row, column) as a Double; errors name the 1-based file row and the column.
  func double(_ row: Int, _ column: Int) throws -> Double {
    let text = rows[row][column]
    guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
      throw LoggedDataError.badNumber(file: file, row: line(row), column: header[column], value: String(text))
    }
    return value
  }

  /// The field at (row, column) as an Int (a whole number written as "3" or "3.0").
  func int(_ row: Int, _ column: Int) throws -> Int {
    let value = try double(row, column)
    guard value == value.rounded(), abs(value) < 1e15 else {
      throw LoggedDataError.badNumber(file: file, row: line(row), column: header[column], value: String(rows[row][column]))
    }
    return Int(value)
  }

  /// Splits one line at commas outside double quotes, unquoting quoted fields.
  static func fields(_ line: Substring) -> [Substring] {
    guard line.contains("\"") else { return line.split(separator: ",", omittingEmptySubsequences: false) }
    var fields: [Substring] = [], current = "", quoted = false, justClosed = false
    for c in line {
      if quoted {
        if c == "\"" { quoted = false; justClosed = true } else { current.append(c) }
        continue
      }
      if c == "\"" {
        // `""` inside a quoted field is a literal quote: the quote just closed reopens.
        if justClosed { current.append("\"") }
        quoted = true
      } else if c == "," {
        fields.append(Substring(current))
        current = ""
      } else {
        current.append(c)
      }
      justClosed = false
    }
    fields.append(Substring(current))
    return fields
  }
}

/// A stable 64-bit id for a categorical string (FNV-1a): models hash ids again with their own seeded hash, so
/// this only needs to be deterministic across runs and platforms, which `String.hashValue` is not.
func stableID(_ text: Substring) -> UInt64 {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in text.utf8 {
    hash ^= UInt64(byte)
    hash = hash &* 0x100_0000_01b3
  }
  return hash
}
