#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Parses one YAML document into a `YAMLNode` tree with source marks, on the system libyaml.
///
/// Aliases are expanded (sharing storage with their anchor's node) and merge keys (`<<: *base`,
/// `<<: [*a, *b]`) applied; keys are unique scalars; a file holds one document. `YAMLLimits` bounds
/// size, nesting and node count, so an alias bomb fails fast. JSON is YAML, so JSON files parse too.
public enum YAMLParser {
  /// Parses `text`.
  ///
  /// - Parameters:
  ///   - text: The YAML source.
  ///   - file: The name errors give for the source, such as `spec.yaml`.
  ///   - limits: Bounds on size, nesting and node count.
  /// - Returns: The document's root node, or `nil` when the document is empty (no content, only
  ///   comments, or a bare `---`).
  /// - Throws: `YAMLError`.
  public static func parse(
    _ text: String, file: String, limits: YAMLLimits = .default
  ) throws(YAMLError) -> YAMLNode? {
    var text = text
    let parsed: Result<YAMLNode?, YAMLError> = text.withUTF8 { bytes in
      Result { () throws(YAMLError) in
        try parse(bytes: bytes, file: file, limits: limits)
      }
    }
    return try parsed.get()
  }

  /// Reads and parses the file at `path`; errors name the file by `path`.
  ///
  /// At most `limits.maxBytes + 1` bytes are read, so an oversized file is refused before parsing.
  ///
  /// - Throws: `YAMLError.unreadableFile` when the file cannot be read, otherwise as `parse`.
  public static func parseFile(at path: String, limits: YAMLLimits = .default)
    throws(YAMLError) -> YAMLNode?
  {
    let bytes = try readFile(at: path, atMost: limits.maxBytes + 1)
    return try bytes.withUnsafeBufferPointer { buffer throws(YAMLError) in
      try parse(bytes: buffer, file: path, limits: limits)
    }
  }

  // MARK: - Implementation details

  static func parse(
    bytes: UnsafeBufferPointer<UInt8>, file: String, limits: YAMLLimits
  ) throws(YAMLError) -> YAMLNode? {
    if bytes.count > limits.maxBytes {
      throw .limitExceeded(
        file: file, mark: SourceMark(line: 1, column: 1),
        limit: "more than \(limits.maxBytes) bytes")
    }
    guard !bytes.isEmpty else { return nil }
    var builder = YAMLTreeBuilder(file: file, limits: limits)
    try LibYAMLEventReader.read(bytes, file: file) { event throws(YAMLError) in
      try builder.handle(event)
    }
    return builder.result
  }

  /// Reads up to `limit` bytes of the file at `path` with POSIX calls, for errno's reason on failure.
  private static func readFile(at path: String, atMost limit: Int)
    throws(YAMLError) -> [UInt8]
  {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw unreadable(path) }
    defer { _ = close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while bytes.count < limit {
      let wanted = min(chunk.count, limit - bytes.count)
      let got = chunk.withUnsafeMutableBytes {
        read(descriptor, $0.baseAddress, wanted)
      }
      if got < 0 {
        if errno == EINTR { continue }
        throw unreadable(path)
      }
      if got == 0 { break }
      bytes.append(contentsOf: chunk[..<got])
    }
    return bytes
  }

  private static func unreadable(_ path: String) -> YAMLError {
    .unreadableFile(path: path, reason: String(cString: strerror(errno)))
  }
}
