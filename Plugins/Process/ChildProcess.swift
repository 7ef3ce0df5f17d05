import Dispatch
import Foundation
import Subprocess
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process spoken to synchronously, one request frame and one reply frame at a time.
///
/// swift-subprocess spawns, signals and reaps the child: `Subprocess.run` with a body closure runs in a task on
/// `ChildTaskExecutor` (a Dispatch queue, not the cooperative pool, which the runner's jobs occupy with
/// synchronous work: awaiting the spawn there could deadlock with two jobs on two cores). The body keeps the
/// `Execution` alive and takes commands (kill, release) from an `AsyncStream`; once released, `run` awaits the
/// child's termination and hands its status back. Its async output sequences do not fit a synchronous
/// request/response loop with a per-call timeout, so the child's stdin, stdout and stderr are our own
/// descriptors passed with `.fileDescriptor(_:closeAfterSpawningProcess:)`: Unix stream sockets (created
/// close-on-exec atomically; stdin is written with `MSG_NOSIGNAL`, so a dead child gives EPIPE, never SIGPIPE),
/// read with `poll` for the per-call timeout.
final class ChildProcess {
  enum Failure: Error {
    case launch(String)
    case timedOut
    case closed
    case io(String)
  }

  let command: [String]
  private let state = ChildState()
  private let commands: AsyncStream<ChildCommand>.Continuation
  private var input: Int32 = -1
  private var output: Int32 = -1
  let stderrTail: StderrCollector
  private var readBuffer: [UInt8] = []
  private var readStart = 0
  private(set) var isReaped = false

  /// Starts `command` (program looked up on PATH unless it contains a slash) and waits until it runs.
  init(command: [String], launchTimeout: Double) throws {
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
    let (stream, continuation) = AsyncStream<ChildCommand>.makeStream()
    commands = continuation
    let program = command[0]
    let executable: Executable = program.contains("/") ? .path(FilePath(program)) : .name(program)
    let arguments = Arguments(Array(command.dropFirst()))
    let state = self.state
    let childIn = stdinPair[1], childOut = stdoutPipe[1], childErr = stderrPipe[1]
    ChildProcess.launch(executable, arguments: arguments, descriptors: (childIn, childOut, childErr), commands: stream, state: state)
    stderrTail.start()
    if let problem = state.waitUntilStarted(timeout: launchTimeout) {
      commands.finish()
      closeOurEnds()
      throw Failure.launch(problem)
    }
  }

  deinit { terminate(grace: 0.5) }

  /// The last lines the child wrote to stderr.
  var stderr: String { stderrTail.text }

  /// The child's termination status ("exited with status 3", "was killed by signal 9"), waiting up to `timeout`
  /// seconds for it after stopping the child's execution body; nil when it did not end by then.
  func reap(timeout: Double) -> String? {
    commands.yield(.release)
    commands.finish()
    let status = state.waitUntilFinished(timeout: timeout)
    if status != nil { isReaped = true }
    return status
  }

  /// Ends the child: closes its stdin, gives it `grace` seconds to exit, kills it otherwise, and reaps it.
  /// Returns its termination status. Safe to call more than once.
  @discardableResult
  func terminate(grace: Double) -> String? {
    if isReaped { return state.status }
    closeInput()
    if !waitForEndOfOutput(timeout: grace) { commands.yield(.kill) }
    closeOurEnds()
    if let status = reap(timeout: 10) { return status }
    return nil
  }

  /// Kills the child at once and reaps it (after a timeout or a malformed reply).
  @discardableResult
  func kill() -> String? {
    if isReaped { return state.status }
    commands.yield(.kill)
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

  private static func launch(
    _ executable: Executable, arguments: Arguments, descriptors: (Int32, Int32, Int32),
    commands: AsyncStream<ChildCommand>, state: ChildState
  ) {
    Task(executorPreference: ChildTaskExecutor.shared) {
      await supervise(executable, arguments: arguments, descriptors: descriptors, commands: commands, state: state)
    }
  }

  /// Spawns the child with swift-subprocess and keeps its execution until released; then awaits its end.
  private static func supervise(
    _ executable: Executable, arguments: Arguments, descriptors: (Int32, Int32, Int32),
    commands: AsyncStream<ChildCommand>, state: ChildState
  ) async {
    do {
      let result = try await Subprocess.run(
        executable, arguments: arguments,
        input: .fileDescriptor(FileDescriptor(rawValue: descriptors.0), closeAfterSpawningProcess: true),
        output: .fileDescriptor(FileDescriptor(rawValue: descriptors.1), closeAfterSpawningProcess: true),
        error: .fileDescriptor(FileDescriptor(rawValue: descriptors.2), closeAfterSpawningProcess: true)
      ) { execution in
        state.started()
        for await command in commands {
          switch command {
          case .kill: try? execution.send(signal: .kill)
          case .release: return
          }
        }
      }
      state.finished(describe(result.terminationStatus))
    } catch {
      // A launch failure: Subprocess closed (or never used) the child's ends.
      state.failedToLaunch("\(error)")
    }
  }

  private static func describe(_ status: TerminationStatus) -> String {
    switch status {
    case .exited(let code): return "exited with status \(code)"
    case .signaled(let signal): return "was killed by signal \(signal)"
    }
  }
}

enum ChildCommand: Sendable {
  case kill
  case release
}

/// Runs swift-subprocess's tasks on a Dispatch queue (see `ChildProcess`).
final class ChildTaskExecutor: TaskExecutor {
  static let shared = ChildTaskExecutor()
  private let queue = DispatchQueue(label: "adlab.process-plugins", attributes: .concurrent)

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}

/// What the spawning task tells the synchronous side: started, failed to launch, finished with a status.
final class ChildState: @unchecked Sendable {
  private let condition = NSCondition()
  private var isRunning = false
  private var launchProblem: String?
  private(set) var status: String?

  func started() { update { $0.isRunning = true } }
  func failedToLaunch(_ problem: String) { update { $0.launchProblem = problem } }
  func finished(_ status: String) { update { $0.status = status } }

  private func update(_ change: (ChildState) -> Void) {
    condition.lock()
    change(self)
    condition.broadcast()
    condition.unlock()
  }

  /// nil once running; the launch problem otherwise.
  func waitUntilStarted(timeout: Double) -> String? {
    let deadline = Date(timeIntervalSinceNow: timeout)
    condition.lock()
    defer { condition.unlock() }
    while !isRunning && launchProblem == nil && status == nil {
      if !condition.wait(until: deadline) { return "the child did not start within \(timeout) s" }
    }
    if isRunning { return nil }
    return launchProblem ?? status.map { "the child \($0) at start" } ?? "unknown"
  }

  func waitUntilFinished(timeout: Double) -> String? {
    let deadline = Date(timeIntervalSinceNow: timeout)
    condition.lock()
    defer { condition.unlock() }
    while status == nil && launchProblem == nil {
      if !condition.wait(until: deadline) { return nil }
    }
    return status ?? launchProblem
  }
}
