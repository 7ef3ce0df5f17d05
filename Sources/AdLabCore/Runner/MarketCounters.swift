/// Market-level counts a simulated platform keeps beside per-impression outcomes: how much budget it made
/// available, how many users were active on how many days, how often they came back, and how many ads each
/// active user-day carried. Cumulative from the start of a job, so the runner takes differences per window.
public struct MarketCounters: Sendable, Equatable {
  /// Upper bounds of the ads-per-user-day histogram buckets: 0, 1, 2, 3, 4, 5, 6–9, 10 or more.
  public static let frequencyBucketLabels = ["0", "1", "2", "3", "4", "5", "6-9", "10+"]

  /// Campaign budget made available so far (e.g. daily budgets released at the start of each day).
  public var budget: Double = 0
  /// Active (user, day) pairs: a user with at least one page view on that simulated day.
  public var userDays: Double = 0
  /// Active user-days that have ended, and how many of them were followed by a visit on the next day.
  public var retentionBase: Double = 0
  public var retained: Double = 0
  /// User-days by the number of ads shown on them (buckets as in `frequencyBucketLabels`), counted as they
  /// stand: a day moves from bucket to bucket as its count grows, so the sum is `userDays`.
  public var frequencyHistogram: SIMD8<Double> = .zero

  public init() {}

  /// The histogram bucket of a user-day that has had `ads` ads.
  @inlinable public static func bucket(ads: Int) -> Int {
    ads < 6 ? ads : (ads < 10 ? 6 : 7)
  }

  public static func - (lhs: MarketCounters, rhs: MarketCounters) -> MarketCounters {
    var d = MarketCounters()
    d.budget = lhs.budget - rhs.budget
    d.userDays = lhs.userDays - rhs.userDays
    d.retentionBase = lhs.retentionBase - rhs.retentionBase
    d.retained = lhs.retained - rhs.retained
    d.frequencyHistogram = lhs.frequencyHistogram - rhs.frequencyHistogram
    return d
  }

  public static func += (lhs: inout MarketCounters, rhs: MarketCounters) {
    lhs.budget += rhs.budget
    lhs.userDays += rhs.userDays
    lhs.retentionBase += rhs.retentionBase
    lhs.retained += rhs.retained
    lhs.frequencyHistogram += rhs.frequencyHistogram
  }

  /// Smallest bucket lower bound at or below which `quantile` of user-days fall (NaN without user-days).
  public func frequencyQuantile(_ quantile: Double) -> Double {
    let total = frequencyHistogram.sum()
    guard total > 0 else { return .nan }
    let lowerBounds: [Double] = [0, 1, 2, 3, 4, 5, 6, 10]
    var cumulative = 0.0
    for b in 0..<8 {
      cumulative += frequencyHistogram[b]
      if cumulative >= quantile * total { return lowerBounds[b] }
    }
    return lowerBounds[7]
  }
}
