/// Memory a plugin will allocate for one job, declared from its parameters before anything is built, so a run that
/// cannot fit is refused with the figure instead of failing (or swapping) part-way.
public struct MemoryNeed: Sendable, Equatable {
  /// The parameter that sizes it (reported at its key), nil for the plugin as a whole.
  public var key: String?
  /// What it is, for people: "users × 356 B per user".
  public var what: String
  /// Bytes, saturated at `Int.max` when the product overflows.
  public var bytes: Int
  /// Bytes per unit of `key`'s value, when the need grows linearly with it (for "at most N fit").
  public var bytesPerUnit: Int?

  public init(key: String?, _ what: String, bytes: Int, bytesPerUnit: Int? = nil) {
    self.key = key
    self.what = what
    self.bytes = max(0, bytes)
    self.bytesPerUnit = bytesPerUnit
  }

  /// `count × bytesEach`, saturating, as a need that grows with `key`.
  public static func linear(key: String, count: Int, bytesEach: Int, _ what: String) -> MemoryNeed {
    MemoryNeed(
      key: key, "\(what) (\(count) × \(ByteCount.describe(bytesEach)))", bytes: product(count, bytesEach),
      bytesPerUnit: bytesEach)
  }

  /// The product of non-negative factors, saturated at `Int.max` instead of overflowing.
  public static func product(_ factors: Int...) -> Int { product(factors) }

  public static func product(_ factors: [Int]) -> Int {
    var result = 1
    for factor in factors {
      let (value, overflow) = result.multipliedReportingOverflow(by: max(0, factor))
      if overflow { return Int.max }
      result = value
    }
    return result
  }

  /// The sum, saturated at `Int.max`.
  public static func sum(_ terms: [Int]) -> Int {
    var result = 0
    for term in terms {
      let (value, overflow) = result.addingReportingOverflow(term)
      if overflow { return Int.max }
      result = value
    }
    return result
  }
}
