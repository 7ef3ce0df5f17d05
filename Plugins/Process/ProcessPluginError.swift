import Foundation

/// What went wrong with a plugin that runs in a child process. Every case names the variant, the plugin and
/// the command, and carries the end of the child's standard error, so the message says where to look.
public enum ProcessPluginError: Error, CustomStringConvertible, Sendable {
  /// The command could not be started (no such program, not executable).
  case launchFailed(ProcessPluginOrigin, reason: String)
  /// The child exited (or was killed by a signal) while AdLab waited for its reply.
  case exited(ProcessPluginOrigin, status: String, during: String, stderr: String)
  /// The child did not answer within the per-call timeout; it was killed.
  case timedOut(ProcessPluginOrigin, seconds: Double, during: String, stderr: String)
  /// The child speaks another protocol version.
  case versionMismatch(ProcessPluginOrigin, expected: UInt32, found: UInt32)
  /// A reply that breaks the protocol: wrong type or length, an out-of-range or repeated action, a bad propensity.
  case malformedReply(ProcessPluginOrigin, during: String, problem: String, stderr: String)
  /// The child reported its own failure (e.g. a Python exception) with an error message.
  case childFailed(ProcessPluginOrigin, during: String, message: String)

  public var description: String {
    switch self {
    case .launchFailed(let origin, let reason):
      return "\(origin): cannot start the command: \(reason); check that the program exists and is on PATH"
    case .exited(let origin, let status, let during, let stderr):
      return "\(origin): the child process \(status) during \(during)" + Self.tail(stderr)
    case .timedOut(let origin, let seconds, let during, let stderr):
      return "\(origin): no reply to \(during) within \(seconds) s (the child was killed); raise params.timeout if the "
        + "learner is just slow" + Self.tail(stderr)
    case .versionMismatch(let origin, let expected, let found):
      return "\(origin): the child speaks process protocol version \(found), AdLab speaks \(expected); "
        + "update the child's helper (python/adlab_plugin.py) or AdLab"
    case .malformedReply(let origin, let during, let problem, let stderr):
      return "\(origin): malformed reply to \(during): \(problem)" + Self.tail(stderr)
    case .childFailed(let origin, let during, let message):
      return "\(origin): the child reported an error during \(during): \(message)"
    }
  }

  private static func tail(_ stderr: String) -> String {
    let text = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? " (no output on its stderr)" : "\n--- child stderr (last lines) ---\n" + text
  }
}

/// Which plugin of which variant a process-plugin error is about.
public struct ProcessPluginOrigin: Sendable, CustomStringConvertible {
  public var variant: String
  /// E.g. "policy 'process'".
  public var plugin: String
  public var command: [String]

  public var description: String {
    let who = variant.isEmpty ? plugin : "variant '\(variant)', \(plugin)"
    return "\(who) [\(command.joined(separator: " "))]"
  }
}
