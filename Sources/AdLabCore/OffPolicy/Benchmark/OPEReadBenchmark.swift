import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The read + IPW/SNIPW passes of `adlab bench ope` on a generic-schema CSV, the same work as its pandas + numpy
/// peer (Tests/Peers/ope_peer.py): parse the log, then weight each round by a fixed ε-greedy policy over linear
/// scores of its context, π(a | x) = ε/K + (1 − ε)·1{a = argmax_b θ_b·x} with θ_{b,j} = ((7b + 3j) mod 11 − 5)/5,
/// ε = 0.2 (ties to the lower action), and sum.
public enum OPEReadBenchmark {
  /// One pass's IPW and SNIPW and the rounds it read.
  public struct Pass: Sendable {
    public var rounds = 0
    public var ipw = 0.0, snipw = 0.0
    public var seconds = 0.0
  }

  static let epsilon = 0.2
  /// θ, actions × context columns.
  static let theta: [Double] = (0..<(LoggedCSVGenerator.actions * LoggedCSVGenerator.features)).map { index in
    let b = index / LoggedCSVGenerator.features, j = index % LoggedCSVGenerator.features
    return Double((7 * b + 3 * j) % 11 - 5) / 5
  }

  /// Parses the CSV (no cache) and computes the estimates chunk by chunk as chunks arrive.
  public static func csvPass(path: String, jobs: Int) throws -> Pass {
    try timed {
      var sums = WeightedSums()
      _ = try LoggedBanditCSV.parse(
        path: path, label: nil, actions: nil, slots: nil, filter: [:], jobs: jobs,
        chunkBytes: CSVSource.defaultChunkBytes
      ) { (chunk: LogColumns) throws(LoggedDataError) in sums.add(chunk) }
      return sums
    }
  }

  /// Opens the log through the columnar cache in `cache` (parsing and writing it on a miss), then computes the
  /// estimates over its row groups.
  public static func cachedPass(path: String, cache: URL, jobs: Int) throws -> Pass {
    try timed {
      let opened = try LoggedBanditCSV.open(
        path: path, label: nil, actions: nil, slots: nil, filter: [:], jobs: jobs, cache: cache)
      var sums = WeightedSums()
      for g in 0..<opened.rounds.groupCount {
        sums.add(opened.rounds.group(g))
        opened.rounds.release(group: g)
      }
      return sums
    }
  }

  private static func timed(_ body: () throws -> WeightedSums) throws -> Pass {
    let start = DispatchTime.now().uptimeNanoseconds
    let sums = try body()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    return Pass(
      rounds: sums.n, ipw: sums.weightedReward / Double(max(1, sums.n)),
      snipw: sums.weight > 0 ? sums.weightedReward / sums.weight : .nan, seconds: seconds)
  }

  /// Σ w·r, Σ w and n over rounds of the generator's schema (5 context columns, K = 10).
  struct WeightedSums {
    var n = 0, weightedReward = 0.0, weight = 0.0

    mutating func add(_ columns: LogColumns) {
      let k = LoggedCSVGenerator.actions, d = min(columns.denseWidth, LoggedCSVGenerator.features)
      let width = columns.denseWidth, theta = OPEReadBenchmark.theta
      columns.dense.withUnsafeBufferPointer { x in
        for i in 0..<columns.count {
          var best = 0, bestScore = -Double.infinity
          for b in 0..<k {
            var score = 0.0
            for j in 0..<d {
              let coefficient = theta[b * LoggedCSVGenerator.features + j]
              score += coefficient * Double(x[i * width + j])
            }
            if score > bestScore {
              bestScore = score
              best = b
            }
          }
          let pi =
            OPEReadBenchmark.epsilon / Double(k) + (Int(columns.actions[i]) == best ? 1 - OPEReadBenchmark.epsilon : 0)
          let w = pi / columns.propensities[i]
          weightedReward += w * columns.rewards[i]
          weight += w
        }
      }
      n += columns.count
    }
  }

  /// This process's peak resident memory in MB since the last `resetPeakMemory()` (Linux VmHWM), or nil elsewhere.
  public static func peakMemoryMB() -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
      let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kilobytes / 1024
  }

  /// Resets the peak resident memory to the current one (Linux: `5` into /proc/self/clear_refs), so each phase's
  /// peak is its own.
  public static func resetPeakMemory() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
  }
}
