import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Drains a child's stderr on its own thread (so a chatty child never blocks on a full pipe) and keeps the
/// last `limit` bytes for error messages. The thread ends, closing the descriptor, at end of file.
final class StderrCollector: @unchecked Sendable {
  private let fd: Int32
  private let limit: Int
  private let lock = NSLock()
  private var tail: [UInt8] = []
  private let ended = DispatchSemaphore(value: 0)

  init(fd: Int32, limit: Int = 8192) {
    self.fd = fd
    self.limit = limit
  }

  func start() {
    let thread = Thread { [self] in drain() }
    thread.name = "adlab-process-stderr"
    thread.start()
  }

  private func drain() {
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, 4096) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      lock.lock()
      tail.append(contentsOf: chunk[0..<n])
      if tail.count > limit { tail.removeFirst(tail.count - limit) }
      lock.unlock()
    }
    close(fd)
    ended.signal()
  }

  /// Waits up to `timeout` seconds for end of file (after the child ended), so `text` has its last words.
  func waitForEnd(timeout: Double) {
    if ended.wait(timeout: .now() + timeout) == .success { ended.signal() }
  }

  /// The kept bytes as text.
  var text: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: tail, as: UTF8.self)
  }
}
