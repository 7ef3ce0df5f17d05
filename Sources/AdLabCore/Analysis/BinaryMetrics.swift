import AdLabTensor
import Foundation

/// Quality measures of probability predictions against binary outcomes: ranking (AUC), fit (log loss) and
/// calibration (predicted / observed, reliability table). Used by offline training reports and usable by any
/// report that holds per-impression predictions.
///
/// Every function is deterministic: sums run in input order, sorting breaks ties by position.
public enum BinaryMetrics {
  /// Area under the ROC curve, exactly, with ties: the Mann–Whitney statistic with mid-ranks,
  ///
  /// ```
  /// AUC = (Σ_{i positive} rank_i − n₊(n₊ + 1)/2) / (n₊ · n₋)
  /// ```
  /// where tied scores share the mean of their ranks (so a tie between a positive and a negative counts ½),
  /// equal to scikit-learn's `roc_auc_score`. NaN when either class is empty.
  ///
  /// - Parameters:
  ///   - scores: any real scores (probabilities or logits); only their order matters.
  ///   - labels: 1 for a positive, 0 for a negative (anything > 0 counts as positive).
  /// - Complexity: O(n log n).
  public static func auc(scores: [Double], labels: [Double]) -> Double {
    precondition(scores.count == labels.count, "auc: \(scores.count) scores but \(labels.count) labels")
    let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    var positives = 0.0, rankSum = 0.0
    var start = 0
    while start < order.count {
      var end = start + 1
      while end < order.count && scores[order[end]] == scores[order[start]] { end += 1 }
      // Ranks start + 1 ... end share their mean.
      let midRank = Double(start + 1 + end) / 2
      for position in start..<end where labels[order[position]] > 0 {
        positives += 1
        rankSum += midRank
      }
      start = end
    }
    let negatives = Double(order.count) - positives
    guard positives > 0, negatives > 0 else { return .nan }
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
  }

  /// Mean negative log-likelihood `−mean(y·log p + (1 − y)·log(1 − p))`, with p clipped to [ε, 1 − ε] where ε is
  /// `Double.ulpOfOne` (2⁻⁵², scikit-learn's `log_loss` clipping for float64). NaN for no examples.
  public static func logLoss(probabilities: [Double], labels: [Double]) -> Double {
    precondition(
      probabilities.count == labels.count, "logLoss: \(probabilities.count) predictions but \(labels.count) labels")
    guard !labels.isEmpty else { return .nan }
    var total = 0.0
    for i in labels.indices {
      let p = min(max(probabilities[i], Double.ulpOfOne), 1 - Double.ulpOfOne)
      total -= labels[i] > 0 ? AdLabMath.log(p) : AdLabMath.log(1 - p)
    }
    return total / Double(labels.count)
  }

  /// Sum of predictions over sum of outcomes: 1 is calibrated, above 1 over-predicts. NaN without positives.
  public static func calibration(probabilities: [Double], labels: [Double]) -> Double {
    let observed = labels.reduce(0, +)
    return observed == 0 ? .nan : probabilities.reduce(0, +) / observed
  }
}

/// Predictions grouped into equal-width probability bins, each with its mean prediction and observed rate:
/// a calibrated model has `meanPredicted ≈ observedRate` in every bin.
public struct ReliabilityTable: Sendable, Equatable {
  public struct Bin: Sendable, Equatable {
    /// The bin covers [lower, upper) (the last one includes 1).
    public var lower: Double
    public var upper: Double
    public var count: Int
    /// Mean prediction and observed positive rate in the bin (NaN when empty).
    public var meanPredicted: Double
    public var observedRate: Double
  }

  public var bins: [Bin]

  /// Bins `[i/n, (i+1)/n)` for i in 0..<n.
  public init(probabilities: [Double], labels: [Double], bins n: Int = 10) {
    precondition(
      n >= 1 && probabilities.count == labels.count, "ReliabilityTable: need bins >= 1 and one label per prediction")
    var counts = [Int](repeating: 0, count: n)
    var predicted = [Double](repeating: 0, count: n)
    var observed = [Double](repeating: 0, count: n)
    for i in probabilities.indices {
      let p = min(max(probabilities[i], 0), 1)
      let bin = min(Int(p * Double(n)), n - 1)
      counts[bin] += 1
      predicted[bin] += p
      observed[bin] += labels[i] > 0 ? 1 : 0
    }
    bins = (0..<n).map { b in
      let c = Double(counts[b])
      return Bin(
        lower: Double(b) / Double(n), upper: Double(b + 1) / Double(n), count: counts[b],
        meanPredicted: counts[b] == 0 ? .nan : predicted[b] / c, observedRate: counts[b] == 0 ? .nan : observed[b] / c)
    }
  }

  public var json: JSONValue {
    .array(
      bins.map { bin in
        .object([
          ("lower", .number(bin.lower)), ("upper", .number(bin.upper)), ("count", .int(bin.count)),
          ("mean_predicted", bin.meanPredicted.isNaN ? .null : .number(bin.meanPredicted)),
          ("observed_rate", bin.observedRate.isNaN ? .null : .number(bin.observedRate)),
        ])
      })
  }
}
