#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension Checkpoint {
  /// Writes the checkpoint to `path` atomically: to `path + ".tmp"`, then renamed over `path`.
  ///
  /// - Throws: `CheckpointError.io` with the system's message.
  public func write(toFile path: String) throws(CheckpointError) {
    let bytes = encoded()
    let temporary = path + ".tmp"
    guard let file = fopen(temporary, "wb") else {
      throw Checkpoint.ioError(path: temporary, "cannot open for writing")
    }
    let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
    let closed = fclose(file)
    guard written == bytes.count, closed == 0 else {
      unlink(temporary)
      throw Checkpoint.ioError(path: temporary, "write failed")
    }
    guard rename(temporary, path) == 0 else { throw Checkpoint.ioError(path: path, "cannot rename into place") }
  }

  /// Reads and verifies the checkpoint at `path`.
  ///
  /// - Throws: `CheckpointError.io`, or any error of `init(decoding:)`.
  public init(contentsOfFile path: String) throws(CheckpointError) {
    guard let file = fopen(path, "rb") else { throw Checkpoint.ioError(path: path, "cannot open for reading") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let read = chunk.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, file) }
      bytes += chunk[0..<read]
      if read < chunk.count { break }
    }
    guard ferror(file) == 0 else { throw Checkpoint.ioError(path: path, "read failed") }
    try self.init(decoding: bytes)
  }

  static func ioError(path: String, _ what: String) -> CheckpointError {
    let reason = String(cString: strerror(errno))
    return .io(path: path, message: "\(what) (\(reason))")
  }
}
