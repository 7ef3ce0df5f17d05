import Foundation
import Synchronization

/// Fault injection for the kill-and-resume tests: with `ADLAB_TEST_KILL_AT=<point>:<n>` in the environment the
/// process sends itself SIGKILL the n-th time it reaches `point` (`job`: a job's record stored; `bundle-file`: a
/// bundle file written to the temporary folder; `epoch`: a training epoch's state stored). Nothing happens
/// without the variable. A real SIGKILL, so no cleanup code runs, exactly as when a node dies.
enum CrashPoint: String {
  case job
  case bundleFile = "bundle-file"
  case epoch

  private static let target: (point: String, count: Int)? = {
    guard let value = ProcessInfo.processInfo.environment["ADLAB_TEST_KILL_AT"] else { return nil }
    let parts = value.split(separator: ":")
    guard parts.count == 2, let n = Int(parts[1]), n > 0 else { return nil }
    return (String(parts[0]), n)
  }()
  private static let passes = Mutex(0)

  /// Counts a pass through this point and kills the process when it is the configured one.
  func reached() {
    guard let target = Self.target, target.point == rawValue else { return }
    let pass = Self.passes.withLock { count in
      count += 1
      return count
    }
    if pass == target.count { kill(getpid(), SIGKILL) }
  }
}
