import Crypto
import Foundation

/// sha256 of files, for dataset manifests and provenance.
public enum FileDigest {
  /// Lower-case hex sha256 of the file at `path`.
  /// - Throws: `LoggedDataError.missingFile` when it cannot be read.
  public static func sha256(path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LoggedDataError.missingFile(path: path, hint: "check the path")
    }
    return hex(SHA256.hash(data: data))
  }

  static func hex(_ digest: SHA256.Digest) -> String {
    digest.map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
  }
}
