import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A child process spoken to synchronously, one request frame and one reply frame at a time, with a deadline.
///
/// Why not swift-subprocess (tried first, 1.0.2): `Subprocess.run` is async and finishes only through tasks on the
/// global concurrent executor (its teardown runs an unstructured `Task {}` in `withUncancelledTask`, which does not
/// inherit a task-executor preference; launching stalled the same way). The runner's jobs are synchronous work
/// on that very pool (a task group with as many jobs as cores), and `Policy.choose` is synchronous, so a job that
/// waits for Subprocess waits for a pool thread that the jobs themselves hold: measured with 2 jobs on 2 cores, the
/// second child started only after the first job ended and each reap waited out its 10 s timeout; with two process
/// variants it can deadlock until the launch timeout. So the child is spawned with `posix_spawnp` and reaped with
/// `waitpid` here, synchronously, on the job's own thread (the narrowest alternative: no threads, no executors).
///
/// stdin, stdout and stderr are Unix stream sockets created close-on-exec atomically (so a child spawned by another
/// job at the same moment cannot inherit our ends and hide end of file); stdin is written with `MSG_NOSIGNAL`, so a
/// dead child gives EPIPE, never SIGPIPE; replies are read with `poll` for the per-call timeout.
final class ChildProcess {
  enum Failure: Error {
    case launch(String)
    case timedOut
    case closed
    case io(String)
  }

  let command: [String]
  private var pid: pid_t = 0
  private var status: String?
  private var input: Int32 = -1
  private var output: Int32 = -1
  let stderrTail: StderrCollector
  private var readBuffer: [UInt8] = []
  private var readStart = 0
  private(set) var isReaped = false

  /// Starts `command` (the program is looked up on PATH unless it contains a slash).
  init(command: [String]) throws {
    self.command = command
    var stdinPair: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
    // Close-on-exec from birth, so a child spawned by another job at the same moment cannot inherit our ends
    // (which would hide end of file from us).
    let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    guard socketpair(AF_UNIX, type, 0, &stdinPair) == 0, socketpair(AF_UNIX, type, 0, &stdoutPipe) == 0,
      socketpair(AF_UNIX, type, 0, &stderrPipe) == 0
    else {
      for fd in stdinPair + stdoutPipe + stderrPipe where fd >= 0 { close(fd) }
      throw Failure.launch("cannot create pipes: \(String(cString: strerror(errno)))")
    }
    input = stdinPair[0]
    output = stdoutPipe[0]
    stderrTail = StderrCollector(fd: stderrPipe[0])
    let childEnds = [stdinPair[1], stdoutPipe[1], stderrPipe[1]]
    defer { for fd in childEnds { close(fd) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for (target, fd) in childEnds.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, Int32(target)) }
    var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var child: pid_t = 0
    let rc = posix_spawnp(&child, command[0], &actions, nil, &argv, environ)
    guard rc == 0 else {
      isReaped = true  // nothing was started: nothing to reap (and never waitpid(0, …))
      closeOurEnds()
      close(stderrPipe[0])
      throw Failure.launch("\(command[0]): \(String(cString: strerror(rc)))")
    }
    pid = child
    stderrTail.start()
  }

  deinit { terminate(grace: 0.5) }

  var processID: Int32 { pid }

  /// The last lines the child wrote to stderr.
  var stderr: String { stderrTail.text }

  /// Waits up to `timeout` seconds for the child to end and reaps it; returns how it ended ("exited with status
  /// 3", "was killed by signal 9"), or nil when it is still running.
  func reap(timeout: Double) -> String? {
    if isReaped { return status }
    let deadline = DispatchTime.now() + timeout
    while true {
      var raw: Int32 = 0
      let r = waitpid(pid, &raw, WNOHANG)
      if r == pid {
        isReaped = true
        status = Self.describe(raw)
        return status
      }
      if r < 0 && errno != EINTR {
        isReaped = true  // not our child any more (ECHILD): nothing left to reap
        status = "ended (status unknown)"
        return status
      }
      if DispatchTime.now() >= deadline { return nil }
      usleep(1000)
    }
  }

  /// Ends the child: closes its stdin, gives it `grace` seconds to exit, kills it otherwise, and reaps it.
  /// Returns its termination status. Safe to call more than once.
  @discardableResult
  func terminate(grace: Double) -> String? {
    if isReaped { return status }
    closeInput()
    _ = waitForEndOfOutput(timeout: grace)
    closeOurEnds()
    return reap(timeout: grace) ?? kill()
  }

  /// Kills the child at once and reaps it (after a timeout or a malformed reply).
  @discardableResult
  func kill() -> String? {
    if isReaped { return status }
    _ = Glibc.kill(pid, SIGKILL)
    closeOurEnds()
    return reap(timeout: 10)
  }

  /// Writes all of `bytes` before `deadline`.
  func write(_ bytes: [UInt8], deadline: DispatchTime) throws {
    guard input >= 0 else { throw Failure.closed }
    var sent = 0
    try bytes.withUnsafeBytes { raw in
      while sent < raw.count {
        try waitFor(input, events: Int16(POLLOUT), deadline: deadline)
        let n = send(input, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
        if n < 0 {
          if errno == EINTR || errno == EAGAIN { continue }
          if errno == EPIPE || errno == ECONNRESET { throw Failure.closed }
          throw Failure.io("write: \(String(cString: strerror(errno)))")
        }
        sent += n
      }
    }
  }

  /// Reads exactly `count` bytes before `deadline`.
  func read(_ count: Int, deadline: DispatchTime) throws -> ArraySlice<UInt8> {
    while readBuffer.count - readStart < count {
      if readStart > 0 {
        readBuffer.removeSubrange(0..<readStart)
        readStart = 0
      }
      guard output >= 0 else { throw Failure.closed }
      try waitFor(output, events: Int16(POLLIN), deadline: deadline)
      let chunk = max(1 << 16, count - readBuffer.count)
      let old = readBuffer.count
      readBuffer.append(contentsOf: repeatElement(0, count: chunk))
      let n = readBuffer.withUnsafeMutableBytes { Glibc.read(output, $0.baseAddress! + old, chunk) }
      readBuffer.removeSubrange((old + max(n, 0))...)
      if n == 0 { throw Failure.closed }
      if n < 0 && errno != EINTR && errno != EAGAIN { throw Failure.io("read: \(String(cString: strerror(errno)))") }
    }
    defer { readStart += count }
    return readBuffer[readStart..<(readStart + count)]
  }

  private func waitFor(_ fd: Int32, events: Int16, deadline: DispatchTime) throws {
    while true {
      let now = DispatchTime.now().uptimeNanoseconds
      guard now < deadline.uptimeNanoseconds else { throw Failure.timedOut }
      let ms = Int32(clamping: (deadline.uptimeNanoseconds - now + 999_999) / 1_000_000)
      var entry = pollfd(fd: fd, events: events, revents: 0)
      let r = poll(&entry, 1, ms)
      if r > 0 { return }  // ready, or hung up / error: the read or write says which
      if r < 0 && errno != EINTR { throw Failure.io("poll: \(String(cString: strerror(errno)))") }
    }
  }

  private func waitForEndOfOutput(timeout: Double) -> Bool {
    guard output >= 0 else { return true }
    let deadline = DispatchTime.now() + timeout
    while true {
      do {
        try waitFor(output, events: Int16(POLLIN), deadline: deadline)
        var scratch = [UInt8](repeating: 0, count: 4096)
        let n = scratch.withUnsafeMutableBytes { Glibc.read(output, $0.baseAddress!, 4096) }
        if n == 0 { return true }
        if n < 0 && errno != EINTR && errno != EAGAIN { return true }
      } catch {
        return false
      }
    }
  }

  private func closeInput() {
    if input >= 0 { close(input) }
    input = -1
  }

  private func closeOurEnds() {
    closeInput()
    if output >= 0 { close(output) }
    output = -1
  }

  private static func describe(_ raw: Int32) -> String {
    let signal = raw & 0x7F
    if signal == 0 { return "exited with status \((raw >> 8) & 0xFF)" }
    return "was killed by signal \(signal)"
  }
}
