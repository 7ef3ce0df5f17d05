import Synchronization

/// Set when the user asks a run to stop (Ctrl-C): the runner starts no new job, running jobs stop at their next
/// batch, and finished ones are kept for a resume. Shared between the signal handler and the jobs.
public final class StopRequest: Sendable {
  private let requested = Atomic<Bool>(false)

  public init() {}

  public func request() { requested.store(true, ordering: .relaxed) }

  public var isRequested: Bool { requested.load(ordering: .relaxed) }
}
