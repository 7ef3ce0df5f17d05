import AdLabTensor
import Crypto
import Foundation

/// The columnar log cache: the first read of a log writes a `ColumnarLogFile` under `<cache root>/logs/`, named by
/// the sha256 of the source files' sha256s, the reader's version and the reader's options (K, filters...), and
/// later reads memory-map it. A changed source has a new sha256, so it misses and is read again; a new reader
/// version misses too. Stale files are never read, only left behind (delete the folder to reclaim the space).
public enum LogCache {
  /// Bump when the readers or the file layout change what a cache file holds.
  static let readerVersion = 1

  /// `<cache root>/logs`.
  public static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    CacheDirectory.root(environment: environment).appendingPathComponent("logs")
  }

  /// The log read from `sources` with `options`: from the cache in `folder` when there, else written to the path
  /// given to `build` (with a `ColumnarLogWriter`) and then mapped.
  /// - Returns: the mapped file and each source's sha256, in `sources` order.
  static func load(
    sources: [String], options: String, folder: URL, build: (String) throws(LoggedDataError) -> Void
  ) throws(LoggedDataError) -> (log: ColumnarLogFile, sha256: [String]) {
    var hashes: [String] = []
    for source in sources { hashes.append(try FileDigest.memoizedSHA256(path: source, folder: folder)) }
    var key = SHA256()
    key.update(data: Data("adlab-log-cache \(readerVersion)\n\(options)\n\(hashes.joined(separator: "\n"))".utf8))
    let path = folder.appendingPathComponent(FileDigest.hex(key.finalize()) + ".adlog").path
    if let cached = ColumnarLogFile(path: path) { return (cached, hashes) }
    try build(path)
    guard let written = ColumnarLogFile(path: path) else {
      throw .other(
        "\(path): the columnar log cache just written cannot be read back; is the disk full? (set ADLAB_CACHE elsewhere)"
      )
    }
    return (written, hashes)
  }

  /// A reader's rounds, ready to stream: through the cache in `cache` (the first read parses into a
  /// `ColumnarLogWriter`, later ones map the file), or parsed into memory when `cache` is nil.
  /// - Parameter parse: streams every chunk of rounds, in order, into its argument and returns the features; it
  ///   throws `empty` rather than deliver nothing.
  /// - Returns: the rounds and each source's sha256, in `sources` order.
  static func rounds(
    sources: [String], options: String, cache: URL?,
    parse: ((LogColumns) throws(LoggedDataError) -> Void) throws(LoggedDataError) -> LogFeatures
  ) throws(LoggedDataError) -> (rounds: LogRounds, sha256: [String]) {
    guard let cache else {
      var columns: LogColumns?
      let features = try parse { (chunk: LogColumns) throws(LoggedDataError) in
        if columns == nil { columns = chunk } else { columns?.append(chunk) }
      }
      var hashes: [String] = []
      for source in sources { hashes.append(try FileDigest.sha256(path: source)) }
      let all = columns ?? LogColumns(denseWidth: 0, categoricalWidth: 0, expectedWidth: 0)
      return (LogRounds(storage: .memory(all), features: features), hashes)
    }
    let (file, hashes) = try load(sources: sources, options: options, folder: cache) {
      (target: String) throws(LoggedDataError) in
      var writer: ColumnarLogWriter?
      let features = try parse { (chunk: LogColumns) throws(LoggedDataError) in
        if writer == nil {
          writer = try ColumnarLogWriter(
            path: target, denseWidth: chunk.denseWidth, categoricalWidth: chunk.categoricalWidth,
            expectedWidth: chunk.expectedWidth)
        }
        try writer?.append(chunk)
      }
      try writer?.finish(features: features)
    }
    return (LogRounds(storage: .file(file), features: file.features), hashes)
  }
}
