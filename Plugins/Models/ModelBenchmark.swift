import AdLabBench
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
    var table = BenchTable(
      title: "training samples/s, batch \(batch), \(fields) hashed fields, \(buckets) buckets",
      label: "model", figures: ["1 thread", "\(cores) threads"])
    var figures: [Figure] = []
    let models: [(String, () throws -> any InterestModel)] = [
      (
        "logistic",
        {
          var p = LogisticModel.Params()
          p.buckets = buckets
          return try LogisticModel(p, context: context)
        }
      ),
      (
        "fm",
        {
          var p = FactorizationMachine.Params()
          p.buckets = buckets
          return try FactorizationMachine(p, context: context)
        }
      ),
      (
        "deepfm",
        {
          var p = DeepFMNetwork<Float>.Params()
          p.buckets = buckets
          p.hidden = [200, 200]
          let (network, table) = try DeepFMNetwork<Float>.make(p, schema: schema, key: context.key)
          return NeuralInterestModel(network: network, parameters: table, learningRate: p.learningRate)
        }
      ),
    ]
    for (name, make) in models {
      var rates: [Double] = []
      for threads in [1, cores] {
        let model = try make()
        rates.append(TensorParallelism.$threads.withValue(threads) { measure(model, data, seconds: seconds) })
      }
      let figure = Figure(model: name, oneThread: rates[0], allCores: rates[1])
      figures.append(figure)
      table.add([name] + rates.map { BenchFormat.fixed($0, digits: 0) })
    }
    table.print(to: print)
    return figures
  }

  /// Batches of ids drawn log-uniformly from 10⁶ values per field (a heavy tail, like real categorical data) and
  /// clicks at a 25% rate.
  static func batches(schema: FeatureSchema, count: Int) -> [(DecisionBatch, OutcomeBatch)] {
    var stream = RandomStream(key: StreamKey(seed: 2024).child("model-bench-data"))
    return (0..<count).map { b in
      var features = FeatureBatch()
      features.decisionCategorical = (0..<(batch * fields)).map { _ in
        UInt64(AdLabMath.exp(stream.uniform() * AdLabMath.log(1e6)))
      }
      let steps = Array((b * batch)..<((b + 1) * batch))
      let decisions = DecisionBatch(
        steps: steps, userIDs: steps.map { UInt64($0) }, candidateCount: 1, schema: schema, features: features)
      var outcomes = OutcomeBatch(count: batch)
      for i in 0..<batch {
        outcomes.impressions[i] = 1
        outcomes.clicks[i] = stream.bernoulli(0.25) ? 1 : 0
      }
      return (decisions, outcomes)
    }
  }

  /// Samples per second of `model.learn` cycling over `data`, best of blocks of 4 batches.
  static func measure(_ model: any InterestModel, _ data: [(DecisionBatch, OutcomeBatch)], seconds: Double) -> Double {
    let actions = [Int32](repeating: 0, count: batch)
    var next = 0
    // The warm-up batch allocates optimizer state and buffers; then blocks of 4 batches for `seconds`.
    let timing = BenchTiming.measure(warmup: 1, repeats: 3, callsPerSample: 4, budgetSeconds: seconds) {
      let (decisions, outcomes) = data[next % data.count]
      actions.withUnsafeBufferPointer { model.learn(decisions, actions: $0, outcomes: outcomes) }
      next += 1
    }
    return timing.bestRate(Double(batch))
  }
}
