/// An interest model's predictions for a batch: one value per (decision, candidate), decision-major
/// (`index = decision * candidateCount + candidate`).
public struct Predictions: Sendable, Equatable {
  /// Predicted click probability (pCTR).
  public var click: [Double]
  /// Predicted conversion probability given a click (pCVR); empty when the model has no conversion head.
  public var conversion: [Double]
  /// For uncertainty-aware policies: pCTR from each member of an ensemble (bootstrap or posterior draws),
  /// member-major; empty when the model gives a point estimate only.
  public var clickSamples: [[Double]]

  public init(click: [Double] = [], conversion: [Double] = [], clickSamples: [[Double]] = []) {
    self.click = click
    self.conversion = conversion
    self.clickSamples = clickSamples
  }

  /// Empty predictions sized for `count` (decision, candidate) pairs.
  public init(count: Int, conversions: Bool) {
    self.init(
      click: Array(repeating: 0, count: count), conversion: conversions ? Array(repeating: 0, count: count) : [])
  }

  /// The rows of the given decisions, in that order.
  func subset(_ positions: [Int], candidates: Int) -> Predictions {
    func rows(_ values: [Double]) -> [Double] {
      values.isEmpty ? [] : positions.flatMap { values[($0 * candidates)..<(($0 + 1) * candidates)] }
    }
    return Predictions(click: rows(click), conversion: rows(conversion), clickSamples: clickSamples.map(rows))
  }
}
