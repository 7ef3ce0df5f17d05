import AdLabCore
import Foundation

/// A policy learner that runs in a child process (any language; `python/adlab_plugin.py` for Python), spoken to
/// over the binary protocol of docs/process-protocol.md: a handshake, then per batch `decide` (the whole batch as
/// arrays → actions and, when asked, propensities) and `learn` (the batch with its rewards), then `close`.
///
/// Every reply is checked (length, action range, the same ad twice in a page view, propensities in (0, 1] or NaN).
/// A failure — the child exits, times out, writes garbage, reports an exception — kills and reaps the child,
/// leaves the remaining slots empty and is reported through `failure`, which stops the job with a
/// `ProcessPluginError` naming the variant. The child is reaped on close, on error and on deinit.
public final class ProcessPolicy: Policy, FailureReportingPlugin {
  public struct Params: ProcessPluginParameters {
    public var command = ProcessCommand()
    public var timeout = 30.0
    public var pinnedDigests: [String] = []

    public init() {}

    public static var fields: [ParameterField<Params>] { commonFields }
  }

  private let connection: ProcessConnection
  private let candidateCount: Int
  public private(set) var failure: (any Error)?

  public init(_ params: Params, context: PluginContext) throws {
    let origin = ProcessPluginOrigin(
      variant: context.variant, plugin: "policy 'process'", command: params.command.arguments)
    candidateCount = context.candidateCount
    connection = try ProcessConnection(command: params.command.arguments, origin: origin, timeout: params.timeout)
    try connection.hello(kind: .policy, context: context, plugin: "process")
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    guard failure == nil else { return leaveEmpty(actions, propensities) }
    do {
      connection.writer.start(.decide)
      connection.writer.batch(batch, propensitiesWanted: propensities != nil)
      connection.writer.finish()
      var reply = try connection.exchange(.decide, during: "decide")
      try readActions(&reply, batch: batch, actions: actions, propensities: propensities)
    } catch {
      failure = error
      leaveEmpty(actions, propensities)
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    guard failure == nil else { return }
    do {
      connection.writer.start(.learn)
      connection.writer.batch(batch, propensitiesWanted: false)
      connection.writer.array(actions)
      connection.writer.array(rewards)
      connection.writer.finish()
      let reply = try connection.exchange(.learn, during: "learn")
      guard reply.remaining == 0 else {
        throw connection.violation("learn", "\(reply.remaining) unexpected bytes after the acknowledgement")
      }
    } catch {
      failure = error
    }
  }

  /// The child's process id.
  var processID: Int32 { connection.processID }

  /// Ends the child now (it is also ended on deinit).
  public func close() { connection.close() }

  private func readActions(
    _ reply: inout FrameReader, batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) throws {
    let entries = batch.actionCount, slots = batch.slotCount, k = batch.candidateCount
    let during = "decide"
    try connection.reading(during) {
      let count = Int(try reply.u32())
      guard count == entries else {
        throw connection.violation(
          during, "\(count) actions for a batch of \(batch.count) decisions × \(slots) slots = \(entries)")
      }
      try reply.int32s(entries, into: actions)
      let hasPropensities = try reply.u8() != 0
      if hasPropensities {
        if let propensities {
          try reply.doubles(entries, into: propensities)
        } else {
          _ = try reply.doubles(entries, into: .init(start: nil, count: 0))
        }
      }
      guard reply.remaining == 0 else {
        throw connection.violation(during, "\(reply.remaining) bytes after the actions and propensities")
      }
    }
    if let problem = ActionCheck.problem(actions: UnsafeBufferPointer(actions), slots: slots, candidates: k) {
      throw connection.violation(during, problem)
    }
    if let propensities {
      for (i, p) in propensities.enumerated() where !(p.isNaN || (p > 0 && p <= 1)) {
        throw connection.violation(
          during,
          "propensity \(p) at entry \(i) (decision \(i / slots), slot \(i % slots)); allowed: 0 < p ≤ 1, or NaN when unknown"
        )
      }
    }
  }

  private func leaveEmpty(
    _ actions: UnsafeMutableBufferPointer<Int32>, _ propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    for i in actions.indices { actions[i] = DecisionBatch.noAd }
    if let propensities { for i in propensities.indices { propensities[i] = .nan } }
  }
}

/// Checks a child's actions: each a candidate index or the no-ad marker, no ad twice in one page view.
enum ActionCheck {
  static func problem(actions: UnsafeBufferPointer<Int32>, slots: Int, candidates: Int) -> String? {
    for (entry, action) in actions.enumerated() where action != -1 && (action < 0 || Int(action) >= candidates) {
      return
        "action \(action) at entry \(entry) (decision \(entry / slots), slot \(entry % slots)); allowed: 0..<\(candidates) or -1 (no ad)"
    }
    guard slots > 1 else { return nil }
    for start in stride(from: 0, to: actions.count, by: slots) {
      for s in start..<(start + slots) where actions[s] != -1 {
        for t in (s + 1)..<(start + slots) where actions[t] == actions[s] {
          return
            "candidate \(actions[s]) fills slots \(s - start) and \(t - start) of decision \(start / slots); an ad fills at most one slot of a page view"
        }
      }
    }
    return nil
  }
}
