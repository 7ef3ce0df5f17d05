import Crypto
import Foundation

/// sha256 of files, for dataset manifests, provenance and the columnar cache's keys.
public enum FileDigest {
  /// Lower-case hex sha256 of the file at `path`, hashed from a memory map in pieces whose pages are released
  /// as it goes, so hashing a large log does not hold it in memory.
  /// - Throws: `LoggedDataError.missingFile` when it cannot be read.
  public static func sha256(path: String) throws(LoggedDataError) -> String {
    let file = try MappedFile(path: path)
    var hasher = SHA256()
    let piece = 1 << 22
    var start = 0
    while start < file.bytes.count {
      let end = min(file.bytes.count, start + piece)
      hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: file.bytes[start..<end]))
      file.release(start..<end)
      start = end
    }
    return hex(hasher.finalize())
  }

  static func hex(_ digest: SHA256.Digest) -> String {
    digest.map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
  }
}
