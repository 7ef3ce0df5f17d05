import AdLabCore
import Dispatch

/// One conversation with a process plugin: the handshake, then request/reply pairs, then close. Any failure
/// kills and reaps the child and becomes a `ProcessPluginError`; later calls repeat that error.
final class ProcessConnection {
  let origin: ProcessPluginOrigin
  private let timeout: Double
  private var child: ChildProcess?
  /// The child's process id (for tests that check it was reaped).
  let processID: Int32
  private(set) var failure: ProcessPluginError?
  var writer = FrameWriter()

  init(command: [String], origin: ProcessPluginOrigin, timeout: Double) throws {
    self.origin = origin
    self.timeout = timeout
    do {
      let child = try ChildProcess(command: command)
      self.child = child
      processID = child.processID
    } catch ChildProcess.Failure.launch(let reason) {
      throw ProcessPluginError.launchFailed(origin, reason: reason)
    }
  }

  deinit { close() }

  /// Sends the handshake and checks the child's version.
  func hello(kind: ProcessProtocol.Kind, context: PluginContext, plugin: String) throws {
    writer.start(.hello)
    writer.u32(ProcessProtocol.version)
    writer.u8(kind.rawValue)
    writer.string(context.variant)
    writer.string(plugin)
    writer.u64(context.key.rawValue)
    writer.u32(UInt32(clamping: context.replication))
    writer.u64(UInt64(clamping: context.horizon))
    writer.count(context.batchSize)
    writer.count(context.slotCount)
    writer.count(context.candidateCount)
    writer.count(context.adCount)
    let schema = context.featureSchema
    writer.count(schema.categorical.count)
    for field in schema.categorical {
      writer.string(field.name)
      writer.u8(ProcessProtocol.sideCode(field.side))
      writer.i64(Int64(field.cardinality ?? -1))
    }
    writer.count(schema.dense.count)
    for field in schema.dense {
      writer.string(field.name)
      writer.u8(ProcessProtocol.sideCode(field.side))
      writer.count(field.width)
    }
    writer.count(schema.sequences.count)
    for field in schema.sequences {
      writer.string(field.name)
      writer.count(field.maxLength)
      writer.i64(Int64(field.vocabulary ?? -1))
    }
    writer.finish()
    var reply = try exchange(.hello, during: "the handshake")
    let version = try reading("the handshake") { try reply.u32() }
    guard version == ProcessProtocol.version else {
      fail(.versionMismatch(origin, expected: ProcessProtocol.version, found: version))
      throw failure!
    }
  }

  /// Sends the frame in `writer` and returns the payload of the reply after its type byte, which must be
  /// `expected` (or `error`, which becomes `childFailed`).
  func exchange(_ expected: ProcessProtocol.Message, during: String) throws -> FrameReader {
    if let failure { throw failure }
    guard let child else {
      throw ProcessPluginError.exited(origin, status: "was already closed", during: during, stderr: "")
    }
    let deadline = DispatchTime.now() + timeout
    do {
      try child.write(writer.bytes, deadline: deadline)
      var header = FrameReader(Array(try child.read(4, deadline: deadline)))
      let length = Int(try header.u32())
      guard length >= 1, length <= ProcessProtocol.maxFrame else {
        throw violation(
          during, "frame length \(length) (the child must write nothing but frames on stdout; log to stderr)")
      }
      var reply = FrameReader(Array(try child.read(length, deadline: deadline)))
      let type = try reply.u8()
      if type == ProcessProtocol.Message.error.rawValue {
        let message = (try? reply.string()) ?? "(unreadable message)"
        fail(.childFailed(origin, during: during, message: message))
        throw failure!
      }
      guard type == expected.rawValue else {
        throw violation(during, "message type \(type), expected \(expected.rawValue) (\(expected))")
      }
      return reply
    } catch let error as ProcessPluginError {
      fail(error)
      throw error
    } catch ChildProcess.Failure.timedOut {
      fail(.timedOut(origin, seconds: timeout, during: during, stderr: ""))
      throw failure!
    } catch {
      // End of file or a broken pipe: the child is gone (or going); say how it ended.
      let status = child.reap(timeout: 5) ?? "closed its pipes"
      fail(.exited(origin, status: status, during: during, stderr: ""))
      throw failure!
    }
  }

  /// Runs `body` on a reply, turning a short read into a malformed-reply error.
  func reading<T>(_ during: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch FrameReader.Failure.short(let needed, let left) {
      throw violation(during, "reply too short: needed \(needed) more bytes, \(left) left")
    }
  }

  /// Records a malformed reply and returns the error to throw.
  func violation(_ during: String, _ problem: String) -> ProcessPluginError {
    fail(.malformedReply(origin, during: during, problem: problem, stderr: ""))
    return failure!
  }

  /// Records the first failure (with the child's stderr), killing and reaping the child.
  private func fail(_ error: ProcessPluginError) {
    guard failure == nil else { return }
    if let child {
      child.kill()
      let stderr = child.stderrAfterEnd()
      self.child = nil
      failure = error.with(stderr: stderr)
    } else {
      failure = error
    }
  }

  /// Says goodbye (best effort), then ends and reaps the child.
  func close() {
    guard let child else { return }
    if failure == nil {
      writer.start(.close)
      writer.finish()
      try? child.write(writer.bytes, deadline: .now() + 1)
    }
    child.terminate(grace: 2)
    self.child = nil
  }
}

extension ChildProcess {
  /// stderr once the child ended (waits briefly for the collector to see end of file).
  func stderrAfterEnd() -> String {
    stderrTail.waitForEnd(timeout: 0.5)
    return stderr
  }
}

extension ProcessPluginError {
  func with(stderr: String) -> ProcessPluginError {
    switch self {
    case .exited(let o, let status, let during, _): return .exited(o, status: status, during: during, stderr: stderr)
    case .timedOut(let o, let seconds, let during, _):
      return .timedOut(o, seconds: seconds, during: during, stderr: stderr)
    case .malformedReply(let o, let during, let problem, _):
      return .malformedReply(o, during: during, problem: problem, stderr: stderr)
    default: return self
    }
  }
}
