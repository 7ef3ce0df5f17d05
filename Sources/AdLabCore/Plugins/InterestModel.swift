/// A predictor of click and conversion probabilities for (user, ad) pairs: the interest model of ad
/// delivery. It reads features through the batch's `FeatureSchema` only, learns online from the outcomes of
/// the ads actually shown (one mini-batch per decision batch), and its predictions reach the variant's
/// policy through `DecisionBatch.predictions`.
public protocol InterestModel: AnyObject {
  /// Whether `predict` fills `Predictions.conversion` (pCVR given a click).
  var predictsConversions: Bool { get }
  /// Predictions for every candidate of every decision of `batch`, decision-major.
  func predict(_ batch: DecisionBatch, into predictions: inout Predictions)
  /// Learns from the shown ads (`actions[i]` for decision `i`) and their outcomes.
  func learn(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, outcomes: OutcomeBatch)
}
