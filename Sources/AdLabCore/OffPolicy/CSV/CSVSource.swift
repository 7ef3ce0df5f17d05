import Dispatch

/// Something that turns CSV records into typed columns: one per chunk, so chunks parse in parallel.
protocol CSVRowSink {
  /// Takes the parser's current record (its field count is not yet checked).
  mutating func consume(_ record: CSVRecordParser) throws(LoggedDataError)
}

/// A memory-mapped CSV file split into chunks at record boundaries, ready to parse in parallel.
///
/// The split needs to know, at a byte offset, whether it is inside a quoted field. Quotes toggle quoting, so the
/// state at an offset is the parity of the quotes before it: each piece's quotes (and newlines, for line numbers)
/// are counted in parallel, prefix sums give the state at each piece's start, and the chunk boundary is the first
/// line end outside quotes from there. Chunking never changes what is parsed, only who parses it.
struct CSVSource {
  let file: MappedFile
  /// The name errors use for the file.
  let label: String
  let header: [String]
  /// Byte ranges of whole records, in file order, with the file line each starts on.
  let chunks: [(range: Range<Int>, line: Int)]

  /// Bytes per chunk: large enough that per-chunk overhead vanishes, small enough that a few chunks in flight
  /// keep memory bounded.
  static let defaultChunkBytes = 1 << 21

  /// Opens `path` and reads its header (the first non-blank record; a UTF-8 byte order mark is skipped).
  /// - Throws: `missingFile` with `hint`, `empty` for a file without a header, `unterminatedQuote`.
  init(
    path: String, label: String? = nil, hint: String = "check the path", chunkBytes: Int = CSVSource.defaultChunkBytes,
    jobs: Int = 1
  ) throws(LoggedDataError) {
    let label = label ?? path
    let file = try MappedFile(path: path, hint: hint)
    let bytes = file.bytes
    let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    let headerParser = CSVRecordParser(bytes: bytes, range: bom..<bytes.count, line: 1, fields: 4096, file: label)
    guard try headerParser.next() else { throw .empty(file: label) }
    if headerParser.fieldCount > 4096 { throw .other("\(label): more than 4096 columns in the header row") }
    let header = headerParser.strings().map { $0.trimmingSpaces() }
    let bodyStart = headerParser.position, bodyLine = headerParser.line
    self.file = file
    self.label = label
    self.header = header
    chunks = Self.split(file, from: bodyStart, line: bodyLine, chunkBytes: max(1, chunkBytes), jobs: jobs)
  }

  /// Chunks of `bytes[start...]` at record boundaries.
  private static func split(_ file: MappedFile, from start: Int, line: Int, chunkBytes: Int, jobs: Int)
    -> [(range: Range<Int>, line: Int)]
  {
    let bytes = file.bytes, end = bytes.count
    guard end > start else { return [] }
    let pieces = (end - start + chunkBytes - 1) / chunkBytes
    guard pieces > 1 else { return [(start..<end, line)] }
    var quotes = [Int](repeating: 0, count: pieces), newlines = quotes
    quotes.withUnsafeMutableBufferPointer { q in
      newlines.withUnsafeMutableBufferPointer { n in
        nonisolated(unsafe) let q = q, n = n
        parallelFor(count: pieces, jobs: jobs) { piece in
          let lower = start + piece * chunkBytes, upper = min(end, lower + chunkBytes)
          var quoteCount = 0, newlineCount = 0
          for byte in UnsafeRawBufferPointer(rebasing: bytes[lower..<upper]) {
            quoteCount &+= byte == quoteMark ? 1 : 0
            newlineCount &+= byte == newline ? 1 : 0
          }
          q[piece] = quoteCount
          n[piece] = newlineCount
          // Counted pages leave resident memory again, or a large file would be resident whole before parsing.
          file.release(lower..<upper)
        }
      }
    }
    var out: [(range: Range<Int>, line: Int)] = []
    var chunkStart = start, chunkLine = line, quotesBefore = quotes[0], newlinesBefore = newlines[0]
    for piece in 1..<pieces {
      // Find the first record boundary at or after this piece's start, from the quote state there.
      var p = start + piece * chunkBytes, quoted = quotesBefore & 1 == 1, linesSkipped = 0
      if quoted || bytes[p - 1] != newline {
        while p < end {
          let byte = bytes[p]
          p += 1
          if byte == quoteMark {
            quoted.toggle()
          } else if byte == newline {
            linesSkipped += 1
            if !quoted { break }
          }
        }
      }
      quotesBefore += quotes[piece]
      let boundaryLine = line + newlinesBefore + linesSkipped
      newlinesBefore += newlines[piece]
      // A quoted field longer than a piece can swallow the next boundary: then the chunk simply grows.
      guard p > chunkStart, p < end else { continue }
      out.append((chunkStart..<p, chunkLine))
      chunkStart = p
      chunkLine = boundaryLine
    }
    out.append((chunkStart..<end, chunkLine))
    return out
  }

  /// A parser over chunk `index`.
  func parser(chunk index: Int) -> CSVRecordParser {
    let parser = CSVRecordParser(
      bytes: file.bytes, range: chunks[index].range, line: chunks[index].line, fields: header.count, file: label)
    parser.header = header
    return parser
  }

  /// The index of `name` in the header.
  func column(_ name: String) throws(LoggedDataError) -> Int {
    guard let index = header.firstIndex(of: name) else { throw .missingColumn(file: label, column: name) }
    return index
  }

  /// Columns whose names start with `prefix` followed by a number, ordered by that number.
  func numberedColumns(prefix: String) -> [Int] {
    header.enumerated().compactMap { i, name -> (Int, Int)? in
      guard name.hasPrefix(prefix), let n = Int(name.dropFirst(prefix.count)) else { return nil }
      return (n, i)
    }.sorted { $0.0 < $1.0 }.map(\.1)
  }

  /// Parses every chunk into a fresh sink, `jobs` chunks at a time, and hands the sinks to `deliver` in file order.
  /// The first error in file order is thrown, so errors do not depend on `jobs`. Pages of parsed chunks are released.
  func read<Sink: CSVRowSink>(
    jobs: Int, makeSink: () -> Sink, deliver: (consuming Sink) throws(LoggedDataError) -> Void
  ) throws(LoggedDataError) {
    let wave = max(1, jobs)
    var first = 0
    while first < chunks.count {
      let count = min(wave, chunks.count - first)
      var results = [Result<Sink, LoggedDataError>?](repeating: nil, count: count)
      withoutActuallyEscaping(makeSink) { makeSink in
        results.withUnsafeMutableBufferPointer { out in
          nonisolated(unsafe) let out = out, makeSink = makeSink
          let source = self, base = first
          parallelFor(count: count, jobs: wave) { j in
            out[j] = Result { () throws(LoggedDataError) -> Sink in
              var sink = makeSink()
              let parser = source.parser(chunk: base + j)
              while try parser.next() { try sink.consume(parser) }
              return sink
            }
          }
        }
      }
      for result in results {
        guard let result else { continue }
        try deliver(try result.get())
      }
      file.release(chunks[first].range.lowerBound..<chunks[first + count - 1].range.upperBound)
      first += count
    }
  }
}

extension CSVSource {
  /// Calls `body` on every record in file order, on this thread (small files: item tables, a first row).
  /// Stops early when `body` returns false.
  func forEachRecord(_ body: (CSVRecordParser) throws(LoggedDataError) -> Bool) throws(LoggedDataError) {
    for chunk in chunks.indices {
      let parser = parser(chunk: chunk)
      while try parser.next() {
        if try !body(parser) { return }
      }
    }
  }
}

/// `body(i)` for i in 0..<count, on up to `jobs` threads (in order on one).
func parallelFor(count: Int, jobs: Int, _ body: (Int) -> Void) {
  if jobs <= 1 || count <= 1 {
    for i in 0..<count { body(i) }
    return
  }
  withoutActuallyEscaping(body) { body in
    nonisolated(unsafe) let body = body
    let workers = min(jobs, count)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var i = worker
      while i < count {
        body(i)
        i += workers
      }
    }
  }
}

extension String {
  /// The string without leading and trailing spaces and tabs.
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
    while let c = s.last, c == " " || c == "\t" { s.removeLast() }
    return String(s)
  }
}
