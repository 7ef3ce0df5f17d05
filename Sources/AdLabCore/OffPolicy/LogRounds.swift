/// Logged rounds ready to stream group by group: memory-mapped from the columnar cache, or in memory (generated
/// logs). Groups are `ColumnarLogFile.groupSize` rounds either way, so whatever sums groups gets the same result.
struct LogRounds: Sendable {
  enum Storage: Sendable {
    case memory(LogColumns)
    case file(ColumnarLogFile)
  }

  let storage: Storage
  let features: LogFeatures

  var count: Int {
    switch storage {
    case .memory(let columns): return columns.count
    case .file(let file): return file.count
    }
  }

  var expectedWidth: Int {
    switch storage {
    case .memory(let columns): return columns.expectedWidth
    case .file(let file): return file.expectedWidth
    }
  }

  var groupCount: Int { (count + ColumnarLogFile.groupSize - 1) / ColumnarLogFile.groupSize }

  /// The rounds of group `g` (rounds g·groupSize ..< (g + 1)·groupSize).
  func group(_ g: Int) -> LogColumns {
    switch storage {
    case .memory(let columns):
      let start = g * ColumnarLogFile.groupSize
      return columns.slice(start..<min(columns.count, start + ColumnarLogFile.groupSize))
    case .file(let file): return file.group(g)
    }
  }

  /// Tells the storage a pass is done with group `g` (mapped pages leave resident memory).
  func release(group g: Int) {
    if case .file(let file) = storage { file.release(group: g) }
  }

  /// Every round, in memory.
  func all() -> LogColumns {
    switch storage {
    case .memory(let columns): return columns
    case .file(let file): return file.all()
    }
  }
}
