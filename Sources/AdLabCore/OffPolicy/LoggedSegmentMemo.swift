import Foundation

/// Logs loaded once and shared by every cell of a sweep that replays the same logs: cells that differ only in
/// estimator settings, τ, the reward model or the evaluation policies map the same segments (memory-mapped, so
/// sharing them costs nothing) instead of reading the logs again. Keyed by what a logged environment's loading
/// can depend on: its plugin and parameters and the spec's seed, horizon and batch.
public final class LoggedSegmentMemo: @unchecked Sendable {
  private let lock = NSLock()
  private var loaded: [String: [LoggedSegment]] = [:]
  /// How many times logs were actually loaded (the rest were shared).
  public private(set) var loads = 0

  public init() {}

  /// The segments for `spec`'s environment, loaded by `load` the first time.
  func segments(for spec: ExperimentSpec, load: () throws -> [LoggedSegment]) rethrows -> [LoggedSegment] {
    let key =
      "\(spec.seed)\n\(spec.horizon)\n\(spec.batchSize)\n\(spec.environment.name)\n\(spec.environment.parameters.rendered())"
    lock.lock()
    defer { lock.unlock() }
    if let segments = loaded[key] { return segments }
    let segments = try load()
    loads += 1
    loaded[key] = segments
    return segments
  }
}
