/// Walks the records of an RFC 4180 CSV byte range: fields split at commas outside double quotes, `""` inside
/// quotes a literal quote, quoted fields may span lines, CRLF or LF line ends, blank lines skipped (but counted,
/// so errors name the line in the file). Unquoted fields are slices of the mapped file; only fields with quotes
/// are copied (unescaped) into a scratch buffer, so no per-field `String` is made.
///
/// A quote anywhere toggles quoting (as the previous reader did and as the chunker's quote parity assumes), so
/// `a"b,c"d` is the one field `ab,cd`.
final class CSVRecordParser {
  private let base: UnsafePointer<UInt8>
  private let end: Int
  private(set) var position: Int
  /// The 1-based file line at `position`.
  private(set) var line: Int
  /// The file line the current record starts on.
  private(set) var recordLine = 0
  /// Fields of the current record; more than `capacity` are counted, not stored (the row is then an error).
  private(set) var fieldCount = 0
  private let capacity: Int
  /// Per field (`capacity` of them): offset into the file, or −(offset + 1) into `scratch` for unescaped quoted fields.
  private let starts: UnsafeMutablePointer<Int>
  private let lengths: UnsafeMutablePointer<Int>
  /// Unescaped quoted fields of the current record; grows by doubling.
  private var scratch: UnsafeMutablePointer<UInt8>
  private var scratchCount = 0, scratchCapacity = 256
  let file: String
  /// The column names, for errors (empty while the header itself is read).
  var header: [String] = []

  /// A parser over `bytes[range]` whose first byte is on file line `line`; rows have up to `fields` fields.
  init(bytes: UnsafeRawBufferPointer, range: Range<Int>, line: Int, fields: Int, file: String) {
    base = bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(bitPattern: 1)!
    end = range.upperBound
    position = range.lowerBound
    self.line = line
    capacity = max(1, fields)
    starts = .allocate(capacity: capacity)
    lengths = .allocate(capacity: capacity)
    scratch = .allocate(capacity: scratchCapacity)
    self.file = file
  }

  deinit {
    starts.deallocate()
    lengths.deallocate()
    scratch.deallocate()
  }

  @inline(__always) private func append(_ byte: UInt8) {
    if scratchCount == scratchCapacity {
      let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity * 2)
      grown.update(from: scratch, count: scratchCount)
      scratch.deallocate()
      scratch = grown
      scratchCapacity *= 2
    }
    scratch[scratchCount] = byte
    scratchCount += 1
  }

  /// Reads the next non-blank record; false at the end of the range.
  /// - Throws: `LoggedDataError.unterminatedQuote` when a quoted field runs to the end of the file.
  func next() throws(LoggedDataError) -> Bool {
    while position < end {
      if try readRecord() { return true }
    }
    return false
  }

  /// Reads one record; false when it was blank (only spaces, tabs or a carriage return).
  private func readRecord() throws(LoggedDataError) -> Bool {
    fieldCount = 0
    scratchCount = 0
    recordLine = line
    let recordStart = position
    var sawQuote = false
    var p = position
    while true {
      let fieldBegin = p
      var quote = false
      while p < end {
        let b = base[p]
        if b == comma || b == newline { break }
        if b == quoteMark {
          quote = true
          break
        }
        p += 1
      }
      if !quote {
        var fieldEnd = p
        if (p == end || base[p] == newline) && fieldEnd > fieldBegin && base[fieldEnd - 1] == carriageReturn {
          fieldEnd -= 1
        }
        store(start: fieldBegin, length: fieldEnd - fieldBegin)
      } else {
        sawQuote = true
        let scratchStart = scratchCount
        for i in fieldBegin..<p { append(base[i]) }
        var quoted = false, justClosed = false, endsWithUnquotedCR = false
        while p < end {
          let b = base[p]
          if quoted {
            if b == quoteMark {
              quoted = false
              justClosed = true
            } else {
              if b == newline { line += 1 }
              append(b)
              endsWithUnquotedCR = false
            }
            p += 1
            continue
          }
          if b == quoteMark {
            // `""` inside a quoted field: the quote that just closed reopens and stands for itself.
            if justClosed { append(quoteMark) }
            quoted = true
          } else if b == comma || b == newline {
            break
          } else {
            append(b)
            endsWithUnquotedCR = b == carriageReturn
          }
          justClosed = false
          p += 1
        }
        if quoted { throw .unterminatedQuote(file: file, row: recordLine) }
        // The CR of a CRLF line end, not one written inside quotes.
        if endsWithUnquotedCR && (p == end || base[p] == newline) {
          scratchCount -= 1
        }
        store(start: -(scratchStart + 1), length: scratchCount - scratchStart)
      }
      if p < end && base[p] == comma {
        p += 1
        continue
      }
      if p < end {
        p += 1  // the newline
        line += 1
      }
      break
    }
    position = p
    if fieldCount == 1 && !sawQuote {
      var blank = true
      for i in recordStart..<(recordStart + lengths[0]) where !isSpace(base[i]) {
        blank = false
        break
      }
      return !blank
    }
    return true
  }

  @inline(__always) private func store(start: Int, length: Int) {
    if fieldCount < capacity {
      starts[fieldCount] = start
      lengths[fieldCount] = length
    }
    fieldCount += 1
  }

  /// The unescaped bytes of field `column` of the current record (valid until the next `next()`).
  @inline(__always) func field(_ column: Int) -> UnsafeRawBufferPointer {
    let start = starts[column], length = lengths[column]
    if start >= 0 { return UnsafeRawBufferPointer(start: base + start, count: length) }
    return UnsafeRawBufferPointer(start: scratch + (-start - 1), count: length)
  }

  /// The current record's fields as strings (header rows and error messages).
  func strings() -> [String] {
    (0..<min(fieldCount, capacity)).map { String(decoding: field($0), as: UTF8.self) }
  }
}

let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), quoteMark = UInt8(ascii: "\""),
  carriageReturn = UInt8(ascii: "\r")

@inline(__always) func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == carriageReturn }
