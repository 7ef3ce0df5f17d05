/// A table for drawing indices with fixed weights in O(1) per draw: Walker's alias method, built with Vose's
/// numerically stable construction (M. D. Vose, IEEE TSE 1991).
///
/// Column `i` of `n` holds a threshold and an alias: a draw picks a column with `int(below: n)`, then returns the
/// column itself if `uniform() < threshold`, else its alias. Two draws from the stream per sample.
///
/// ```swift
/// let table = AliasTable(weights: [0.5, 0.3, 0.2])
/// let ad = table.sample(using: &rng)
/// ```
public struct AliasTable: Sendable {
  @usableFromInline internal let threshold: [Double]
  @usableFromInline internal let alias: [Int]

  /// Builds the table; weights need not sum to 1.
  ///
  /// - Precondition: `weights` is non-empty, every weight is finite and >= 0, and the sum is positive and finite.
  /// - Complexity: O(n).
  public init(weights: [Double]) {
    precondition(!weights.isEmpty, "AliasTable: weights must not be empty")
    var total = 0.0
    for (index, weight) in weights.enumerated() {
      precondition(
        weight >= 0 && weight.isFinite, "AliasTable: weights[\(index)] must be finite and >= 0, got \(weight)")
      total += weight
    }
    precondition(total > 0 && total.isFinite, "AliasTable: weights must have a positive finite sum")

    let n = weights.count
    let scale = Double(n) / total
    // Scaled weights average 1: a column is "small" (< 1, needs an alias to fill it) or "large".
    var scaled = weights.map { $0 * scale }
    var small: [Int] = []
    var large: [Int] = []
    for index in 0..<n {
      if scaled[index] < 1 { small.append(index) } else { large.append(index) }
    }
    var threshold = [Double](repeating: 1, count: n)
    var alias = Array(0..<n)
    while let lender = large.last, let borrower = small.popLast() {
      large.removeLast()
      threshold[borrower] = scaled[borrower]
      alias[borrower] = lender
      // The lender gives away what fills the borrower's column; it may become small itself.
      scaled[lender] = (scaled[lender] + scaled[borrower]) - 1
      if scaled[lender] < 1 { small.append(lender) } else { large.append(lender) }
    }
    // Whatever is left (in either list) is a full column up to rounding error: threshold 1, never aliased.
    self.threshold = threshold
    self.alias = alias
  }

  /// The number of outcomes (the number of weights).
  public var count: Int { threshold.count }

  /// An index drawn with probability proportional to its weight. Indices with weight 0 are never returned.
  @inlinable
  public func sample(using rng: inout RandomStream) -> Int {
    let column = rng.int(below: threshold.count)
    return rng.uniform() < threshold[column] ? column : alias[column]
  }
}
