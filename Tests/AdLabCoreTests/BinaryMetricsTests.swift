import Foundation
import Testing

@testable import AdLabCore

// Reference values live in Fixtures/binary_metrics_fixture.json, generated once with scikit-learn by
// Fixtures/make_binary_metrics_fixture.py (see its header).
struct BinaryMetricsTests {
  struct Fixture: Decodable {
    struct Case: Decodable {
      let name: String
      let scores: [Double]
      let labels: [Int]
      let auc: Double
      let log_loss: Double
    }
    let cases: [Case]

    static let shared: Fixture = {
      let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures/binary_metrics_fixture.json")
      do { return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)) } catch {
        fatalError("cannot load \(url.path): \(error)")
      }
    }()
  }

  @Test func aucAndLogLossMatchScikitLearn() {
    for c in Fixture.shared.cases {
      let labels = c.labels.map(Double.init)
      let auc = BinaryMetrics.auc(scores: c.scores, labels: labels)
      #expect(abs(auc - c.auc) <= 1e-12, "\(c.name): AUC \(auc) vs scikit-learn \(c.auc)")
      let probabilities = c.scores.map { min(max($0, 0), 1) }
      let loss = BinaryMetrics.logLoss(probabilities: probabilities, labels: labels)
      #expect(abs(loss - c.log_loss) <= 1e-12 * max(1, c.log_loss), "\(c.name): log loss \(loss) vs \(c.log_loss)")
    }
  }

  @Test func aucIsUndefinedWithOneClassAndInvariantToMonotoneMaps() {
    #expect(BinaryMetrics.auc(scores: [0.1, 0.2], labels: [1, 1]).isNaN)
    let scores = [0.3, 0.1, 0.7, 0.7, 0.2], labels: [Double] = [0, 0, 1, 0, 1]
    #expect(
      BinaryMetrics.auc(scores: scores, labels: labels)
        == BinaryMetrics.auc(scores: scores.map { log($0) * 3 }, labels: labels))
  }

  @Test func reliabilityTableBinsPredictions() {
    let table = ReliabilityTable(probabilities: [0.05, 0.15, 0.12, 1.0, 0.95], labels: [0, 1, 0, 1, 1], bins: 10)
    #expect(table.bins.count == 10)
    #expect(table.bins[0].count == 1 && table.bins[0].observedRate == 0)
    #expect(
      table.bins[1].count == 2 && table.bins[1].observedRate == 0.5 && abs(table.bins[1].meanPredicted - 0.135) < 1e-15)
    #expect(table.bins[9].count == 2 && table.bins[9].observedRate == 1)
    #expect(table.bins[5].meanPredicted.isNaN)
    #expect(abs(BinaryMetrics.calibration(probabilities: [0.2, 0.4], labels: [0, 1]) - 0.6) < 1e-15)
  }
}
