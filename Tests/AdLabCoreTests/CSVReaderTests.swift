import AdLabTensor
import Foundation
import Testing

@testable import AdLabCore

/// The memory-mapped chunked CSV reader: RFC 4180 details, errors that name the file line, the fast number parser,
/// and random files parsed equal to the values they were written from, for any chunk size and thread count.
struct CSVReaderTests {
  static func write(_ text: String, name: String = "logs.csv") throws -> (folder: String, path: String) {
    let folder = try temporaryFolder("csv-reader")
    let path = "\(folder)/\(name)"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return (folder, path)
  }

  static func readLogs(_ text: String) throws -> LoggedBandit {
    let (folder, path) = try write(text)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try LoggedBanditCSV.read(path: path, label: "logs.csv", name: "test", actions: 3, cache: nil)
  }

  /// Collects every record's fields as strings, with the line it starts on.
  struct Collect: CSVRowSink {
    var rows: [[String]] = []
    var lines: [Int] = []
    mutating func consume(_ row: CSVRecordParser) throws(LoggedDataError) {
      try row.checkFieldCount()
      rows.append((0..<row.fieldCount).map { row.text($0) })
      lines.append(row.recordLine)
    }
  }

  static func parse(_ path: String, chunkBytes: Int, jobs: Int) throws -> (
    header: [String], rows: [[String]], lines: [Int]
  ) {
    let source = try CSVSource(path: path, label: "r.csv", chunkBytes: chunkBytes, jobs: jobs)
    var all = Collect()
    try source.read(jobs: jobs, makeSink: { Collect() }) { (sink: Collect) throws(LoggedDataError) in
      all.rows += sink.rows
      all.lines += sink.lines
    }
    return (source.header, all.rows, all.lines)
  }

  @Test func crlfBomAndQuotedNewlinesRead() throws {
    let text =
      "\u{FEFF}action,slot,reward,propensity,category_note\r\n0,0,1,0.5,\"two\r\nlines, and \"\"quotes\"\"\"\r\n\r\n2,0,0,\"0.25\",plain\r\n"
    let logs = try Self.readLogs(text)
    #expect(logs.actions == [0, 2] && logs.rewards == [1, 0] && logs.propensities == [0.5, 0.25])
    let note = Array("two\r\nlines, and \"quotes\"".utf8)
    let id = note.withUnsafeBytes { stableID($0) }
    #expect(logs.batch.features.decisionCategorical[0] == id)
  }

  @Test(arguments: [
    // A quoted newline makes the next row start one file line later.
    (
      "0,0,1,0.5,\"a\nb\"\n1,0,1,1.5,c\n",
      LoggedDataError.propensityOutOfRange(file: "logs.csv", row: 4, column: "propensity", value: 1.5)
    ),
    // A truncated last line (no newline, fields missing).
    ("0,0,1,0.5,a\n1,0,1", .wrongFieldCount(file: "logs.csv", row: 3, expected: 5, found: 3)),
    // A quote opened and never closed.
    ("0,0,1,0.5,a\n1,0,1,\"0.5,b\n", .unterminatedQuote(file: "logs.csv", row: 3)),
    ("0,0,1,0.5,a\r\n1,0,x,0.5,b\r\n", .badNumber(file: "logs.csv", row: 3, column: "reward", value: "x")),
  ])
  func malformedFilesNameTheFileLine(body: String, expected: LoggedDataError) {
    #expect(throws: expected) { try Self.readLogs("action,slot,reward,propensity,category_note\n" + body) }
  }

  @Test func veryLongFieldsRead() throws {
    let long = String(repeating: "x,\"y", count: 300_000)  // 1.2 MB, quoted: commas and quotes inside
    let escaped = "\"" + long.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    let logs = try Self.readLogs(
      "action,slot,reward,propensity,category_note\n0,0,1,0.5,\(escaped)\n1,0,0,0.5,\(String(repeating: "z", count: 3_000_000))\n"
    )
    let id = Array(long.utf8).withUnsafeBytes { stableID($0) }
    #expect(logs.count == 2 && logs.batch.features.decisionCategorical[0] == id)
  }

  @Test func fastNumberParserEqualsDoubleInit() {
    var stream = RandomStream(key: StreamKey(seed: 3).child("numbers"))
    var texts = [
      "0", "-0", "1e22", "1e23", "0.1", "123456789012345678", "1234567890123456789012", "9007199254740993", "1.5E-7",
      "nan", "inf", "-infinity", "0x1p3", " 2.5\t", "1.", ".5", "-", "e5", "1e", "1e+", "+3", "", "1,5", "12abc",
    ]
    for _ in 0..<20_000 {
      let digits = 1 + stream.int(below: 21)
      var text = stream.int(below: 4) == 0 ? "-" : ""
      let point = stream.int(below: digits + 1)
      for d in 0..<digits {
        if d == point && d > 0 { text += "." }
        text += String(stream.int(below: 10))
      }
      if stream.int(below: 3) == 0 { text += "e\(stream.int(below: 61) - 30)" }
      texts.append(text)
    }
    for text in texts {
      let fast = Array(text.utf8).withUnsafeBytes { CSVNumber.double($0) }
      let reference = Double(text.trimmingCharacters(in: .whitespaces))
      #expect(fast?.bitPattern == reference?.bitPattern, "\(text)")
    }
  }

  /// Random files (quoted commas, quotes and newlines, CRLF and LF, blank lines, long fields) parse to exactly the
  /// fields they were written from, on the lines they start on, whatever the chunk size and thread count.
  @Test func randomFilesParseToTheirFields() throws {
    var stream = RandomStream(key: StreamKey(seed: 11).child("csv-files"))
    let alphabet = Array("ab, \"\n\r12.-x")
    for file in 0..<12 {
      let columns = 2 + stream.int(below: 5)
      var text = stream.int(below: 2) == 0 ? "\u{FEFF}" : ""
      var expected: [[String]] = [], lines: [Int] = []
      var line = 1
      let header = (0..<columns).map { "c\($0)" }
      text += header.joined(separator: ",") + "\n"
      line += 1
      for _ in 0..<(50 + stream.int(below: 300)) {
        if stream.int(below: 10) == 0 {
          text += "\n"
          line += 1
        }
        var fields: [String] = []
        for _ in 0..<columns {
          let length = stream.int(below: 30) == 0 ? 2_000 + stream.int(below: 3_000) : stream.int(below: 8)
          var field = String((0..<length).map { _ in alphabet[stream.int(below: alphabet.count)] })
          // An unquoted CR can only come from a line end, so lone CRs go inside quotes.
          let quoted = field.utf8.contains(where: Self.special.contains) || stream.int(below: 5) == 0
          if !quoted { field = field.replacingOccurrences(of: "\r", with: "") }
          fields.append(field)
        }
        expected.append(fields)
        lines.append(line)
        let written = fields.map { field -> String in
          let needsQuotes = field.utf8.contains(where: Self.special.contains)
          return needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
        text += written
        line += written.utf8.filter { $0 == UInt8(ascii: "\n") }.count
        text += stream.int(below: 2) == 0 ? "\r\n" : "\n"
        line += 1
      }
      let (folder, path) = try Self.write(text, name: "r\(file).csv")
      defer { try? FileManager.default.removeItem(atPath: folder) }
      for (chunkBytes, jobs) in [(1 << 21, 1), (97, 1), (97, 3), (4_096, 2)] {
        let parsed = try Self.parse(path, chunkBytes: chunkBytes, jobs: jobs)
        #expect(parsed.header == header)
        let mismatch = parsed.rows.indices.first { $0 < expected.count && parsed.rows[$0] != expected[$0] }
        #expect(
          parsed.rows.count == expected.count && mismatch == nil,
          "file \(file), chunks of \(chunkBytes) bytes, \(jobs) jobs: first differing row \(mismatch.map(String.init) ?? "none")"
        )
        #expect(parsed.lines == lines, "file \(file), chunks of \(chunkBytes) bytes, \(jobs) jobs")
      }
    }
  }

  /// Bytes that make a field need quotes (checked on bytes: "\r\n" is one Character).
  static let special: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r")]

  /// A bad entry anywhere in a large file is reported at its file line, whichever chunk and thread parse it.
  @Test func errorLinesDoNotDependOnChunks() throws {
    var text = "action,slot,reward,propensity,category_note\n"
    for i in 0..<5_000 {
      text += i % 7 == 0 ? "1,0,0,0.5,\"multi\nline\"\n" : "1,0,0,0.5,x\n"
    }
    text += "1,0,0,0.5,x\n1,0,zero,0.5,x\n"
    let (folder, path) = try Self.write(text)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let line = 1 + 5_000 + (0..<5_000).filter { $0 % 7 == 0 }.count + 2
    for jobs in [1, 2, 4] {
      #expect(throws: LoggedDataError.badNumber(file: "logs.csv", row: line, column: "reward", value: "zero")) {
        try LoggedBanditCSV.open(
          path: path, label: "logs.csv", actions: nil, slots: nil, filter: [:], jobs: jobs, cache: nil,
          chunkBytes: 1_000)
      }
    }
  }
}
