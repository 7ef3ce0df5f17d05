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
///
/// Memory layout: everything an index owns sits in one record of `2k + 2` floats, `[v (k), Adagrad accumulators
/// of v (k), w, accumulator of w]`, so a touched index costs one or two cache misses instead of one per array;
/// the batch's gradients go to a compact per-owner buffer of `k + 1` floats per touched index.
public final class FactorizationMachine: InterestModel, ResumableModel {
  public struct Params: PluginParameters {
    public var buckets = 1 << 18
    public var factors = 16
    public var learningRate = 0.05
    public var l2 = 1e-6
    public var initScale = 0.01
    public var ignoreFeatures: [String] = []
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("buckets", \.buckets, doc: "hash buckets shared by every categorical field", .range(1...(1 << 24))),
        .init("factors", \.factors, doc: "dimension k of each feature's factor vector", .range(1...256)),
        .init("learning_rate", \.learningRate, doc: "Adagrad learning rate", .greaterThan(0)),
        .init("l2", \.l2, doc: "L2 strength on the weights and factors a batch touches", .atLeast(0)),
        .init("init_scale", \.initScale, doc: "factors start uniform in ±init_scale (seeded)", .greaterThan(0)),
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
  let k: Int
  /// Floats per index record: v, v's accumulators, w, w's accumulator.
  let stride: Int
  /// One record per index; index `layout.indexCount` is the bias (only its w and accumulator are used).
  var table: [Float]
  /// Per index: the update epoch that last touched it (high 32 bits) and its slot in the owner's compact buffer.
  var marks: [UInt64]
  var epoch: UInt32 = 0
  var indices: [Int32] = [], values: [Float] = [], logits: [Float] = [], sums: [Float] = []
  /// Per owner (disjoint regions): touched indices, their gradients `[∂w, ∂v (k)]`, and how many there were.
  var touchedScratch: [Int32] = [], gradientScratch: [Float] = [], touchedCounts: [Int] = []

  public init(_ params: Params, context: PluginContext) throws {
    self.params = params
    k = params.factors
    stride = 2 * params.factors + 2
    let hasher = FeatureHasher(key: context.key.child("fm"), buckets: params.buckets)
    layout = try SparseLayout(encoder: FeatureEncoder(schema: context.featureSchema, hasher: hasher), crosses: [])
    let rows = layout.indexCount + 1
    marks = [UInt64](repeating: 0, count: rows)
    table = [Float](repeating: 0.1, count: rows * stride)
    // Factors start at a counter-based uniform per element (position-keyed, no sequential stream to walk), weights at 0.
    let salt = context.key.child("fm-init").rawValue, scale = Float(params.initScale), k = k, stride = stride
    table.withUnsafeMutableBufferPointer { t in
      for i in 0..<rows {
        for f in 0..<k {
          let u = Float(SeededHash.mix(UInt64(i * k + f) ^ salt) >> 40) * 0x1p-24
          t[i * stride + f] = i == rows - 1 ? 0 : scale * (2 * u - 1)
        }
        t[i * stride + 2 * k] = 0
      }
    }
  }

  public func predict(_ batch: DecisionBatch, into predictions: inout Predictions) {
    let rows = ExampleRows.all(batch)
    layout.encode(batch, rows, indices: &indices, values: &values)
    forward(rows.count)
    for r in 0..<rows.count { predictions.click[r] = Double(1 / (1 + AdLabMath.exp(-logits[r]))) }
  }

  public func learn(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, outcomes: OutcomeBatch) {
    let rows = ExampleRows.shown(batch, actions)
    layout.encode(batch, rows, indices: &indices, values: &values)
    forward(rows.count)
    for r in 0..<rows.count { logits[r] = 1 / (1 + AdLabMath.exp(-logits[r])) - (outcomes.clicks[r] > 0 ? 1 : 0) }
    update(rows.count)
  }

  /// Logits into `logits`, and each row's factor sum S into `sums` (for the backward pass).
  func forward(_ count: Int) {
    let width = layout.width, k = k, stride = stride, biasRecord = layout.indexCount * stride
    if logits.count < count { logits = [Float](repeating: 0, count: count) }
    if sums.count < count * k { sums = [Float](repeating: 0, count: count * k) }
    table.withUnsafeBufferPointer { table in
      indices.withUnsafeBufferPointer { index in
        values.withUnsafeBufferPointer { value in
          logits.withUnsafeMutableBufferPointer { out in
            sums.withUnsafeMutableBufferPointer { sums in
              guard let t = table.baseAddress, let sBase = sums.baseAddress else { return }
              ParallelWork.forEachChunk(count: count, chunk: 128) { range in
                for r in range {
                  let s = sBase + r &* k
                  s.update(repeating: 0, count: k)
                  var logit = t[biasRecord &+ 2 &* k]
                  let base = r &* width
                  var squares = FactorLanes.zero
                  for e in base..<(base &+ width) {
                    let record = t + Int(index[e]) &* stride, x = value[e]
                    logit += record[2 &* k] * x
                    FactorLanes.accumulate(row: record, x: x, sums: s, squares: &squares, k: k)
                  }
                  out[r] = logit + 0.5 * (FactorLanes.dot(s, s, k: k) - squares.sum())
                }
              }
            }
          }
        }
      }
    }
  }

  /// Sums each index's gradient in row order into its owner's compact buffer (`logits` holds dLoss/dlogit), then
  /// one Adagrad step (with L2) per touched index.
  func update(_ count: Int) {
    epoch &+= 1
    let width = layout.width, biasIndex = layout.indexCount, size = marks.count, tag = UInt64(epoch) << 32
    let k = k, stride = stride, gradientWidth = k + 1
    let rate = Float(params.learningRate), l2 = Float(params.l2)
    let owners = ParallelWork.owners
    let capacity = count * width + 1
    if touchedScratch.count < owners * capacity { touchedScratch = [Int32](repeating: 0, count: owners * capacity) }
    if gradientScratch.count < owners * capacity * gradientWidth {
      gradientScratch = [Float](repeating: 0, count: owners * capacity * gradientWidth)
    }
    touchedCounts = [Int](repeating: 0, count: owners)
    table.withUnsafeMutableBufferPointer { table in
      marks.withUnsafeMutableBufferPointer { marks in
        touchedScratch.withUnsafeMutableBufferPointer { touchedAll in
          gradientScratch.withUnsafeMutableBufferPointer { gradientAll in
            touchedCounts.withUnsafeMutableBufferPointer { counts in
              indices.withUnsafeBufferPointer { index in
                values.withUnsafeBufferPointer { value in
                  logits.withUnsafeBufferPointer { delta in
                    sums.withUnsafeBufferPointer { sums in
                      guard let t = table.baseAddress, let sBase = sums.baseAddress,
                        let touchedBase = touchedAll.baseAddress,
                        let gradientBase = gradientAll.baseAddress
                      else { return }
                      ParallelWork.run(tasks: owners) { task in
                        let owned = ParallelWork.ownedRange(task, of: owners, count: size)
                        let touched = touchedBase + task &* capacity,
                          grads = gradientBase + task &* capacity &* gradientWidth
                        var touchedCount = 0
                        // The compact gradient row of index i, claimed on first touch this epoch.
                        @inline(__always) func gradientRow(_ i: Int, _ touchedCount: inout Int) -> UnsafeMutablePointer<
                          Float
                        > {
                          let mark = marks[i]
                          if mark & 0xFFFF_FFFF_0000_0000 == tag {
                            return grads + Int(mark & 0xFFFF_FFFF) &* gradientWidth
                          }
                          marks[i] = tag | UInt64(touchedCount)
                          touched[touchedCount] = Int32(truncatingIfNeeded: i)
                          let row = grads + touchedCount &* gradientWidth
                          row.update(repeating: 0, count: gradientWidth)
                          touchedCount &+= 1
                          return row
                        }
                        for r in 0..<count {
                          let d = delta[r], base = r &* width
                          let s = sBase + r &* k
                          for e in base..<(base &+ width) {
                            let i = Int(index[e])
                            guard owned.contains(i) else { continue }
                            let x = value[e], dx = d * x
                            let g = gradientRow(i, &touchedCount)
                            g[0] += dx
                            FactorLanes.addGradient(into: g + 1, sums: s, row: t + i &* stride, x: x, dx: dx, k: k)
                          }
                          if owned.contains(biasIndex) { gradientRow(biasIndex, &touchedCount)[0] += d }
                        }
                        for j in 0..<touchedCount {
                          let i = Int(touched[j]), record = t + i &* stride, g = grads + j &* gradientWidth
                          Adagrad<Float>.step(
                            weight: &record[2 &* k], accumulator: &record[2 &* k &+ 1],
                            gradient: g[0] + l2 * record[2 &* k],
                            learningRate: rate, epsilon: 1e-10)
                          guard i != biasIndex else { continue }
                          FactorLanes.adagrad(
                            weights: record, accumulators: record + k, gradients: g + 1, l2: l2, rate: rate, k: k)
                        }
                        counts[task] = touchedCount
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

  /// The gradient the last update applied to index `i` (`[∂w] + ∂v`), or nil if it did not touch it.
  func lastGradient(_ i: Int) -> [Float]? {
    let owners = touchedCounts.count, capacity = touchedScratch.count / max(owners, 1)
    for task in 0..<owners {
      for j in 0..<touchedCounts[task] where Int(touchedScratch[task * capacity + j]) == i {
        let start = (task * capacity + j) * (k + 1)
        return Array(gradientScratch[start..<(start + k + 1)])
      }
    }
    return nil
  }

  /// Column `offset..<offset+width` of every record, as a `[rows, width]` tensor.
  func column(_ offset: Int, width: Int) -> Tensor<Float> {
    let rows = marks.count
    var out = [Float](repeating: 0, count: rows * width)
    for i in 0..<rows { for f in 0..<width { out[i * width + f] = table[i * stride + offset + f] } }
    return Tensor(shape: [rows, width], scalars: out)
  }

  public func checkpoint() -> Checkpoint {
    var checkpoint = Checkpoint()
    checkpoint.set("fm.factors", column(0, width: k))
    checkpoint.set("fm.factor_accumulators", column(k, width: k))
    checkpoint.set("fm.linear", column(2 * k, width: 1))
    checkpoint.set("fm.linear_accumulators", column(2 * k + 1, width: 1))
    return checkpoint
  }

  public func restore(from checkpoint: Checkpoint) throws {
    let rows = marks.count
    for (name, offset, width) in [
      ("fm.factors", 0, k), ("fm.factor_accumulators", k, k), ("fm.linear", 2 * k, 1),
      ("fm.linear_accumulators", 2 * k + 1, 1),
    ] {
      let values = try checkpoint.tensor(name, as: Float.self, shape: [rows, width]).scalars
      for i in 0..<rows { for f in 0..<width { table[i * stride + offset + f] = values[i * width + f] } }
    }
  }
}

extension FactorizationMachine {
  /// The checkpoint holds the per-coordinate optimizer state too, so it is the whole training state.
  public func trainingState() -> Checkpoint { checkpoint() }
  public func restoreTrainingState(from checkpoint: Checkpoint) throws { try restore(from: checkpoint) }
}
