import Crypto
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension FileDigest {
  /// sha256 of `path`, remembered in `folder/digests/` with the file's size, modification time and inode, so a
  /// log that has not changed is not hashed again on every run (as git's index does). A file whose modification
  /// time is within two seconds of the moment it is hashed is not remembered: it may still be being written.
  static func memoizedSHA256(path: String, folder: URL) throws(LoggedDataError) -> String {
    var status = stat()
    guard stat(path, &status) == 0 else { throw .missingFile(path: path, hint: "check the path") }
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    let stamp = "\(status.st_size) \(status.st_mtim.tv_sec) \(status.st_mtim.tv_nsec) \(status.st_ino)"
    let memo = folder.appendingPathComponent("digests").appendingPathComponent(
      hex(SHA256.hash(data: Data(absolute.utf8))))
    if let text = try? String(contentsOf: memo, encoding: .utf8) {
      let parts = text.split(separator: "\n")
      if parts.count == 2, parts[0] == stamp, parts[1].count == 64 { return String(parts[1]) }
    }
    let digest = try sha256(path: path)
    if Int(Date().timeIntervalSince1970) - Int(status.st_mtim.tv_sec) > 2 {
      try? FileManager.default.createDirectory(at: memo.deletingLastPathComponent(), withIntermediateDirectories: true)
      try? Data("\(stamp)\n\(digest)".utf8).write(to: memo, options: .atomic)
    }
    return digest
  }
}
