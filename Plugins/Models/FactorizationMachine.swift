import AdLabCore
import AdLabTensor
import Foundation

/// A factorization machine (Rendle 2010) over hashed categorical fields and dense columns:
///
/// ```
/// logit = b + Σ_e w_e x_e + ½ Σ_f [ (Σ_e v_{e,f} x_e)² − Σ_e v_{e,f}² x_e² ]
/// ```
/// so every pair of features interacts through ⟨v_i, v_j⟩, O(entries · k) per row. Trained with per-coordinate
/// Adagrad on the summed mini-batch gradient `∂logit/∂v_{e,f} = x_e (S_f − v_{e,f} x_e)`, with L2 on the touched
/// rows. Same deterministic split as `LogisticModel`: rows for the forward pass, owned index ranges for the update.
public final class FactorizationMachine: InterestModel, CheckpointableModel {
  public struct Params: PluginParameters {
    public var buckets = 1 << 18
    public var factors = 16
    public var learningRate = 0.05
    public var l2 = 1e-6
    public var initScale = 0.01
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("buckets", \.buckets, doc: "hash buckets shared by every categorical field", .range(1...(1 << 24))),
        .init("factors", \.factors, doc: "dimension k of each feature's factor vector", .range(1...256)),
        .init("learning_rate", \.learningRate, doc: "Adagrad learning rate", .greaterThan(0)),
        .init("l2", \.l2, doc: "L2 strength on the weights and factors a batch touches", .atLeast(0)),
        .init("init_scale", \.initScale, doc: "factors start uniform in ±init_scale (seeded)", .greaterThan(0)),
      ]
    }
  }

  public var predictsConversions: Bool { false }
  let params: Params
  let layout: SparseLayout
  let k: Int
  /// Linear weights (index `indexCount` is the bias) and factors (`indexCount × k`), with Adagrad accumulators.
  var linear: [Float], linearAccumulator: [Float]
  var factors: [Float], factorAccumulator: [Float]
  var linearGradient: [Float], factorGradient: [Float], stamp: [UInt32]
  var epoch: UInt32 = 0
  var indices: [Int32] = [], values: [Float] = [], logits: [Float] = [], sums: [Float] = []

  public init(_ params: Params, context: PluginContext) throws {
    self.params = params
    k = params.factors
    let hasher = FeatureHasher(key: context.key.child("fm"), buckets: params.buckets)
    layout = try SparseLayout(encoder: FeatureEncoder(schema: context.featureSchema, hasher: hasher), crosses: [])
    let rows = layout.indexCount
    linear = [Float](repeating: 0, count: rows + 1)
    linearAccumulator = [Float](repeating: 0.1, count: rows + 1)
    linearGradient = linear
    stamp = [UInt32](repeating: 0, count: rows + 1)
    factorAccumulator = [Float](repeating: 0.1, count: rows * k)
    factorGradient = [Float](repeating: 0, count: rows * k)
    // A counter-based uniform per element (position-keyed, so no sequential stream to walk through 2^22 draws).
    let salt = context.key.child("fm-init").rawValue, scale = Float(params.initScale)
    factors = (0..<(rows * k)).map { i in
      let u = Float(FeatureHasher.mix(UInt64(i) ^ salt) >> 40) * 0x1p-24
      return scale * (2 * u - 1)
    }
  }

  public func predict(_ batch: DecisionBatch, into predictions: inout Predictions) {
    let rows = ExampleRows.all(batch)
    layout.encode(batch, rows, indices: &indices, values: &values)
    forward(rows.count)
    for r in 0..<rows.count { predictions.click[r] = Double(1 / (1 + expf(-logits[r]))) }
  }

  public func learn(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, outcomes: OutcomeBatch) {
    let rows = ExampleRows.shown(batch, actions)
    layout.encode(batch, rows, indices: &indices, values: &values)
    forward(rows.count)
    for r in 0..<rows.count { logits[r] = 1 / (1 + expf(-logits[r])) - (outcomes.clicks[r] > 0 ? 1 : 0) }
    update(rows.count)
  }

  /// Logits into `logits`, and each row's factor sum S into `sums` (for the backward pass).
  func forward(_ count: Int) {
    let width = layout.width, biasIndex = layout.indexCount, k = k
    if logits.count < count { logits = [Float](repeating: 0, count: count) }
    if sums.count < count * k { sums = [Float](repeating: 0, count: count * k) }
    linear.withUnsafeBufferPointer { w in
      factors.withUnsafeBufferPointer { v in
        indices.withUnsafeBufferPointer { index in
          values.withUnsafeBufferPointer { value in
            logits.withUnsafeMutableBufferPointer { out in
              sums.withUnsafeMutableBufferPointer { sums in
                ParallelWork.forEachChunk(count: count, chunk: 128) { range in
                  for r in range {
                    let s = sums.baseAddress! + r &* k
                    for f in 0..<k { s[f] = 0 }
                    var logit = w[biasIndex], squares: Float = 0
                    let base = r &* width
                    for e in base..<(base &+ width) {
                      let i = Int(index[e]), x = value[e]
                      logit += w[i] * x
                      let row = v.baseAddress! + i &* k
                      for f in 0..<k {
                        let vx = row[f] * x
                        s[f] += vx
                        squares += vx * vx
                      }
                    }
                    var total: Float = 0
                    for f in 0..<k { total += s[f] * s[f] }
                    out[r] = logit + 0.5 * (total - squares)
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// Sums each index's gradient in row order (`logits` holds dLoss/dlogit), then one Adagrad step per touched index.
  func update(_ count: Int) {
    epoch &+= 1
    let width = layout.width, biasIndex = layout.indexCount, size = linear.count, tag = epoch, k = k
    let rate = Float(params.learningRate), l2 = Float(params.l2)
    let owners = ParallelWork.owners
    linear.withUnsafeMutableBufferPointer { w in
      linearAccumulator.withUnsafeMutableBufferPointer { wa in
        linearGradient.withUnsafeMutableBufferPointer { wg in
          factors.withUnsafeMutableBufferPointer { v in
            factorAccumulator.withUnsafeMutableBufferPointer { va in
              factorGradient.withUnsafeMutableBufferPointer { vg in
                stamp.withUnsafeMutableBufferPointer { stamp in
                  indices.withUnsafeBufferPointer { index in
                    values.withUnsafeBufferPointer { value in
                      logits.withUnsafeBufferPointer { delta in
                        sums.withUnsafeBufferPointer { sums in
                          ParallelWork.run(tasks: owners) { task in
                            let owned = ParallelWork.ownedRange(task, of: owners, count: size)
                            var touched: [Int32] = []
                            for r in 0..<count {
                              let d = delta[r], base = r &* width
                              let s = sums.baseAddress! + r &* k
                              for e in base..<(base &+ width) {
                                let i = Int(index[e])
                                guard owned.contains(i) else { continue }
                                let x = value[e], dx = d * x
                                let row = v.baseAddress! + i &* k, grad = vg.baseAddress! + i &* k
                                if stamp[i] != tag {
                                  stamp[i] = tag
                                  wg[i] = 0
                                  for f in 0..<k { grad[f] = 0 }
                                  touched.append(Int32(truncatingIfNeeded: i))
                                }
                                wg[i] += dx
                                for f in 0..<k { grad[f] += dx * (s[f] - row[f] * x) }
                              }
                              if owned.contains(biasIndex) {
                                if stamp[biasIndex] != tag {
                                  stamp[biasIndex] = tag
                                  wg[biasIndex] = 0
                                  touched.append(Int32(truncatingIfNeeded: biasIndex))
                                }
                                wg[biasIndex] += d
                              }
                            }
                            for t in touched {
                              let i = Int(t)
                              Adagrad<Float>.step(weight: &w[i], accumulator: &wa[i], gradient: wg[i] + l2 * w[i], learningRate: rate, epsilon: 1e-10)
                              guard i != biasIndex else { continue }
                              for j in (i &* k)..<(i &* k &+ k) {
                                Adagrad<Float>.step(weight: &v[j], accumulator: &va[j], gradient: vg[j] + l2 * v[j], learningRate: rate, epsilon: 1e-10)
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
    }
  }

  public func checkpoint() -> Checkpoint {
    var checkpoint = Checkpoint()
    let rows = layout.indexCount
    checkpoint.set("fm.linear", Tensor(linear))
    checkpoint.set("fm.linear_accumulator", Tensor(linearAccumulator))
    checkpoint.set("fm.factors", Tensor(shape: [rows, k], scalars: factors))
    checkpoint.set("fm.factor_accumulator", Tensor(shape: [rows, k], scalars: factorAccumulator))
    return checkpoint
  }

  public func restore(from checkpoint: Checkpoint) throws {
    let rows = layout.indexCount
    linear = try checkpoint.tensor("fm.linear", as: Float.self, shape: [rows + 1]).scalars
    linearAccumulator = try checkpoint.tensor("fm.linear_accumulator", as: Float.self, shape: [rows + 1]).scalars
    factors = try checkpoint.tensor("fm.factors", as: Float.self, shape: [rows, k]).scalars
    factorAccumulator = try checkpoint.tensor("fm.factor_accumulator", as: Float.self, shape: [rows, k]).scalars
  }
}
