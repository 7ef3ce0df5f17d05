import AdLabCore
import AdLabTensor
import Foundation

/// Hashed sparse logistic regression: `p = σ(b + Σ_e w[i_e] · x_e)` over every categorical field's bucket, any
/// declared crosses, and the dense columns as linear terms, trained per coordinate with FTRL-Proximal (McMahan
/// et al. 2013) or Adagrad on the summed gradient of each mini-batch.
///
/// The kernel runs on raw buffers: the forward pass is split by row chunks; the gradient sum and the update are
/// split by index ranges, each owned by one task that adds its indices' contributions in row order, so the
/// weights are bit-identical for any thread count.
public final class LogisticModel: InterestModel, ResumableModel {
  public struct Params: PluginParameters {
    public var buckets = 1 << 18
    /// The weight update (see the `optimizer` field).
    public enum Optimizer: String, EnumParameter {
      case ftrl, adagrad
    }

    public var optimizer = Optimizer.ftrl
    public var alpha = 0.1
    public var beta = 1.0
    public var l1 = 0.0
    public var l2 = 0.0
    public var learningRate = 0.1
    public var crosses: [String] = []
    public var ignoreFeatures: [String] = []
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init(
          "buckets", \.buckets, doc: "hash buckets shared by every categorical field and cross", .range(1...(1 << 26))),
        .init("optimizer", \.optimizer, doc: "ftrl (FTRL-Proximal, per-coordinate, L1/L2) or adagrad"),
        .init(
          "alpha", \.alpha, doc: "ftrl: learning-rate scale α of the per-coordinate rate α / (β + √n)", .greaterThan(0)),
        .init("beta", \.beta, doc: "ftrl: smoothing β of the per-coordinate rate", .atLeast(0)),
        .init("l1", \.l1, doc: "ftrl: L1 strength (drives weights to exactly 0)", .atLeast(0)),
        .init("l2", \.l2, doc: "ftrl: L2 strength", .atLeast(0)),
        .init("learning_rate", \.learningRate, doc: "adagrad: learning rate", .greaterThan(0)),
        .init(
          "crosses", \.crosses,
          doc: "feature crosses 'a*b' (categorical×categorical, or categorical×dense per column), e.g. ad_id*x"),
        .init(
          "ignore_features", \.ignoreFeatures,
          doc:
            "dense features the model leaves out, e.g. [item_text, ad_text, history_text] for a text-blind variant on the same environment"
        ),
      ]
    }
  }

  public var predictsConversions: Bool { false }
  let params: Params
  let layout: SparseLayout
  /// Weights, then FTRL's z and n (or Adagrad's accumulator in `z`); index `layout.indexCount` is the bias.
  var weights: [Float], z: [Float], n: [Float]
  var gradient: [Float], stamp: [UInt32]
  var epoch: UInt32 = 0
  var indices: [Int32] = [], values: [Float] = [], scratch: [Float] = [], touchedScratch: [Int32] = []

  public init(_ params: Params, context: PluginContext) throws {
    self.params = params
    let hasher = FeatureHasher(key: context.key.child("logistic"), buckets: params.buckets)
    layout = try SparseLayout(
      encoder: FeatureEncoder(schema: context.featureSchema, hasher: hasher), crosses: params.crosses)
    let size = layout.indexCount + 1
    weights = [Float](repeating: 0, count: size)
    z = [Float](repeating: params.optimizer == .adagrad ? 0.1 : 0, count: size)
    n = [Float](repeating: 0, count: size)
    gradient = [Float](repeating: 0, count: size)
    stamp = [UInt32](repeating: 0, count: size)
  }

  public func predict(_ batch: DecisionBatch, into predictions: inout Predictions) {
    let rows = ExampleRows.all(batch)
    layout.encode(batch, rows, indices: &indices, values: &values)
    forward(rows.count)
    for r in 0..<rows.count { predictions.click[r] = Double(1 / (1 + AdLabMath.exp(-scratch[r]))) }
  }

  public func learn(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, outcomes: OutcomeBatch) {
    let rows = ExampleRows.shown(batch, actions)
    layout.encode(batch, rows, indices: &indices, values: &values)
    let count = rows.count
    forward(count)
    // dLoss/dlogit of each row: p − y.
    for r in 0..<count { scratch[r] = 1 / (1 + AdLabMath.exp(-scratch[r])) - (outcomes.clicks[r] > 0 ? 1 : 0) }
    update(count)
  }

  /// Logits of the encoded rows into `scratch`.
  func forward(_ count: Int) {
    let width = layout.width, biasIndex = layout.indexCount
    if scratch.count < count { scratch = [Float](repeating: 0, count: count) }
    weights.withUnsafeBufferPointer { w in
      indices.withUnsafeBufferPointer { index in
        values.withUnsafeBufferPointer { value in
          scratch.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            ParallelWork.forEachChunk(count: count, chunk: 256) { range in
              for r in range {
                var sum = w[biasIndex]
                let base = r &* width
                for e in base..<(base &+ width) { sum += w[Int(index[e])] * value[e] }
                out[r] = sum
              }
            }
          }
        }
      }
    }
  }

  /// Sums `scratch[r] · x` per index in row order, then steps each touched index once.
  func update(_ count: Int) {
    epoch &+= 1
    let width = layout.width, biasIndex = layout.indexCount, size = weights.count, tag = epoch
    let ftrl = params.optimizer == .ftrl
    let alpha = Float(params.alpha), beta = Float(params.beta), l1 = Float(params.l1), l2 = Float(params.l2)
    let rate = Float(params.learningRate)
    let owners = ParallelWork.owners
    let capacity = count * width + 1
    if touchedScratch.count < owners * capacity { touchedScratch = [Int32](repeating: 0, count: owners * capacity) }
    weights.withUnsafeMutableBufferPointer { w in
      z.withUnsafeMutableBufferPointer { z in
        n.withUnsafeMutableBufferPointer { n in
          gradient.withUnsafeMutableBufferPointer { g in
            stamp.withUnsafeMutableBufferPointer { stamp in
              indices.withUnsafeBufferPointer { index in
                values.withUnsafeBufferPointer { value in
                  scratch.withUnsafeBufferPointer { delta in
                    touchedScratch.withUnsafeMutableBufferPointer { touchedAll in
                      guard let touchedBase = touchedAll.baseAddress else { return }
                      ParallelWork.run(tasks: owners) { task in
                        let owned = ParallelWork.ownedRange(task, of: owners, count: size)
                        let touched = touchedBase + task &* capacity
                        var touchedCount = 0
                        for r in 0..<count {
                          let d = delta[r], base = r &* width
                          for e in base..<(base &+ width) {
                            let i = Int(index[e])
                            guard owned.contains(i) else { continue }
                            if stamp[i] != tag {
                              stamp[i] = tag
                              g[i] = 0
                              touched[touchedCount] = Int32(truncatingIfNeeded: i)
                              touchedCount &+= 1
                            }
                            g[i] += d * value[e]
                          }
                          if owned.contains(biasIndex) {
                            if stamp[biasIndex] != tag {
                              stamp[biasIndex] = tag
                              g[biasIndex] = 0
                              touched[touchedCount] = Int32(truncatingIfNeeded: biasIndex)
                              touchedCount &+= 1
                            }
                            g[biasIndex] += d
                          }
                        }
                        for j in 0..<touchedCount {
                          let i = Int(touched[j])
                          if ftrl {
                            FTRL<Float>.step(
                              weight: &w[i], z: &z[i], n: &n[i], gradient: g[i], alpha: alpha, beta: beta, l1: l1,
                              l2: l2)
                          } else {
                            Adagrad<Float>.step(
                              weight: &w[i], accumulator: &z[i], gradient: g[i], learningRate: rate, epsilon: 1e-10)
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  public func checkpoint() -> Checkpoint {
    var checkpoint = Checkpoint()
    checkpoint.set("logistic.weights", Tensor(weights))
    checkpoint.set("logistic.z", Tensor(z))
    checkpoint.set("logistic.n", Tensor(n))
    return checkpoint
  }

  public func restore(from checkpoint: Checkpoint) throws {
    let shape = [weights.count]
    weights = try checkpoint.tensor("logistic.weights", as: Float.self, shape: shape).scalars
    z = try checkpoint.tensor("logistic.z", as: Float.self, shape: shape).scalars
    n = try checkpoint.tensor("logistic.n", as: Float.self, shape: shape).scalars
  }
}

extension LogisticModel {
  /// The checkpoint holds the per-coordinate optimizer state too, so it is the whole training state.
  public func trainingState() -> Checkpoint { checkpoint() }
  public func restoreTrainingState(from checkpoint: Checkpoint) throws { try restore(from: checkpoint) }
}
