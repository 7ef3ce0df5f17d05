/// A running test of "these differences have mean zero": realised minus expected values, one per observation,
/// judged by a z statistic on their sample mean. Used where a plugin promises an expectation (the oracle's
/// expected outcome, a log's expected reward) that only many random draws can confirm.
struct MeanDifference {
  private(set) var count = 0
  private var sum = 0.0
  private var sumOfSquares = 0.0
  private var largestMagnitude = 0.0

  /// |z| beyond this fails. A fixed seed makes the test deterministic; 4.5 standard errors keep a conforming plugin
  /// from failing by bad luck on a new seed (p ≈ 7·10⁻⁶) while a 10% bias on a few thousand draws still fails.
  static let limit = 4.5

  mutating func add(realised: Double, expected: Double) {
    let d = realised - expected
    count += 1
    sum += d
    sumOfSquares += d * d
    largestMagnitude = max(largestMagnitude, abs(realised), abs(expected))
  }

  var mean: Double { count == 0 ? 0 : sum / Double(count) }

  /// nil when the mean is consistent with zero, else why not.
  var verdict: String? {
    guard count > 1 else { return nil }
    let n = Double(count)
    let variance = max(0, (sumOfSquares - sum * sum / n) / (n - 1))
    let standardError = (variance / n).squareRoot()
    // Differences without spread (deterministic outcomes) must agree up to rounding.
    let tolerance = max(Self.limit * standardError, 1e-9 * max(1, largestMagnitude))
    guard abs(mean) > tolerance else { return nil }
    let z = standardError > 0 ? mean / standardError : .infinity
    return "mean of realised − expected is \(mean) over \(count) draws (z = \(z), limit \(Self.limit))"
  }
}
