import AdLabCore
import AdLabTensor
import Foundation

/// Training throughput of the interest models: samples per second of `learn` at batch 1024 on Criteo-like data
/// (39 hashed categorical fields with heavy-tailed ids, 2^18 buckets), one thread and all cores.
///
/// Models: logistic (FTRL), FM (16-dim factors, Adagrad) and DeepFM (16-dim embeddings, MLP 200-200, Adam).
/// The figure is the best of several timed blocks after a warm-up batch; the whole run takes some seconds in
/// release builds.
public enum ModelBenchmark {
  public static let fields = 39
  public static let batch = 1024
  public static let buckets = 1 << 18

  /// One measured model: samples per second with one thread and with all cores.
  public struct Figure: Sendable {
    public var model: String
    public var oneThread: Double
    public var allCores: Double
  }

  /// Runs the benchmark, sending one line per model to `print`; returns the figures.
  @discardableResult
  public static func run(seconds: Double = 2, print: (String) -> Void) throws -> [Figure] {
    let schema = FeatureSchema(categorical: (0..<fields).map { .init("f\($0)", side: .user) })
    let data = batches(schema: schema, count: 8)
    let context = PluginContext(
      key: StreamKey(seed: 2024).child("model-bench"), replication: 0, horizon: 0, batchSize: batch, candidateCount: 1,
      featureSchema: schema)
    let cores = ProcessInfo.processInfo.activeProcessorCount
    print("training samples/s, batch \(batch), \(fields) hashed fields, \(buckets) buckets (1 thread | \(cores) threads)")
    var figures: [Figure] = []
    let models: [(String, () throws -> any InterestModel)] = [
      ("logistic", {
        var p = LogisticModel.Params()
        p.buckets = buckets
        return try LogisticModel(p, context: context)
      }),
      ("fm", {
        var p = FactorizationMachine.Params()
        p.buckets = buckets
        return try FactorizationMachine(p, context: context)
      }),
      ("deepfm", {
        var p = DeepFMNetwork<Float>.Params()
        p.buckets = buckets
        p.hidden = [200, 200]
        let (network, table) = try DeepFMNetwork<Float>.make(p, schema: schema, key: context.key)
        return NeuralInterestModel(network: network, parameters: table, learningRate: p.learningRate)
      }),
    ]
    for (name, make) in models {
      var rates: [Double] = []
      for threads in [1, cores] {
        let model = try make()
        rates.append(TensorParallelism.$threads.withValue(threads) { measure(model, data, seconds: seconds) })
      }
      let figure = Figure(model: name, oneThread: rates[0], allCores: rates[1])
      figures.append(figure)
      print("  \(name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(Int(figure.oneThread.rounded())) | \(Int(figure.allCores.rounded()))")
    }
    return figures
  }

  /// Batches of ids drawn log-uniformly from 10⁶ values per field (a heavy tail, like real categorical data) and
  /// clicks at a 25% rate.
  static func batches(schema: FeatureSchema, count: Int) -> [(DecisionBatch, OutcomeBatch)] {
    var stream = RandomStream(key: StreamKey(seed: 2024).child("model-bench-data"))
    return (0..<count).map { b in
      var features = FeatureBatch()
      features.decisionCategorical = (0..<(batch * fields)).map { _ in UInt64(AdLabMath.exp(stream.uniform() * AdLabMath.log(1e6))) }
      let steps = Array((b * batch)..<((b + 1) * batch))
      let decisions = DecisionBatch(steps: steps, userIDs: steps.map { UInt64($0) }, candidateCount: 1, schema: schema, features: features)
      var outcomes = OutcomeBatch(count: batch)
      for i in 0..<batch {
        outcomes.impressions[i] = 1
        outcomes.clicks[i] = stream.bernoulli(0.25) ? 1 : 0
      }
      return (decisions, outcomes)
    }
  }

  static func measure(_ model: any InterestModel, _ data: [(DecisionBatch, OutcomeBatch)], seconds: Double) -> Double {
    let actions = [Int32](repeating: 0, count: batch)
    func step(_ i: Int) {
      actions.withUnsafeBufferPointer { model.learn(data[i % data.count].0, actions: $0, outcomes: data[i % data.count].1) }
    }
    step(0)  // warm-up: optimizer state, buffers
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: .seconds(seconds))
    var best = 0.0, i = 1, blocks = 0
    while blocks < 3 || clock.now < deadline {
      let start = clock.now
      for _ in 0..<4 {
        step(i)
        i += 1
      }
      let elapsed = start.duration(to: clock.now)
      let s = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      best = max(best, Double(4 * batch) / s)
      blocks += 1
    }
    return best
  }
}
