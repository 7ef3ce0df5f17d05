import AdLabBuiltins
import AdLabCore
import Foundation
import Testing

/// A variant with `model:` runs inside an experiment: predictions reach the metrics, a well-specified model is
/// calibrated, and results are bit-identical for any number of jobs.
struct OnlineModelTests {
  @Test func wellSpecifiedModelIsCalibratedOnline() async throws {
    let text = """
      name: online
      seed: 9
      replications: 2
      horizon: 6000
      batch: 200
      environment: \(ModelTestSupport.linearMarket)
      variants:
        logistic: { policy: random, model: { plugin: logistic, params: { buckets: 4096, crosses: ["ad_id*x"], alpha: 0.5 } } }
        fm: { policy: random, model: { plugin: fm, params: { buckets: 4096, factors: 8, learning_rate: 0.1 } } }
      """
    let spec = try SpecLoader.load(text: text, file: "online.yaml", registry: .builtin).spec
    let one = try await ExperimentRunner(jobs: 1).run(spec)
    let summary = ExperimentSummary(one)
    for (v, variant) in summary.variants.enumerated() {
      #expect(try #require(variant.summary(.predictedCTR)?.mean) > 0)
      // FM needs more than 30 mini-batches to settle its interactions; logistic with the right cross is exact.
      guard variant.name == "logistic" else { continue }
      // After the first half of the run (the model has learned), predicted clicks match observed clicks.
      var late = MetricTotals()
      for job in one.jobs[v] { for window in job.windows.suffix(job.windows.count / 2) { late += window } }
      let calibration = Metric.calibration.value(late)
      #expect(abs(calibration - 1) < 0.05, "\(variant.name): calibration \(calibration) in the second half")
      #expect(Metric.logLoss.value(late) < 0.5)
    }
    let two = try await ExperimentRunner(jobs: 2).run(spec)
    let a = BundleContents(result: one, summary: summary, specText: text),
      b = BundleContents(result: two, summary: ExperimentSummary(two), specText: text)
    #expect(a.files == b.files)
  }
}
