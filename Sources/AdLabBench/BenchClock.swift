#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one clock of every `adlab bench …` figure: monotonic wall time, and the CPU time of the whole process
/// (all threads), both in seconds.
///
/// Wall time is what a user waits for; CPU time divides out the other processes of a shared machine, so a
/// benchmark reports both where that matters (`adlab bench market`).
public struct BenchClock: Sendable {
  private let clock = ContinuousClock()

  public init() {}

  /// The current instant of the monotonic clock.
  public var now: ContinuousClock.Instant { clock.now }

  /// Seconds elapsed since `start`.
  public func seconds(since start: ContinuousClock.Instant) -> Double {
    Self.seconds(start.duration(to: clock.now))
  }

  /// CPU seconds (user + system) this process has used so far, over all its threads.
  public static func processCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
  }

  /// A `Duration` in seconds.
  public static func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
  }

  /// Seconds taken by `body`, and its result: a one-shot stopwatch for phases that run once (log generation,
  /// model fitting) rather than a repeated measurement.
  public func time<Result>(_ body: () throws -> Result) rethrows -> (seconds: Double, result: Result) {
    let start = now
    let result = try body()
    return (seconds(since: start), result)
  }
}
