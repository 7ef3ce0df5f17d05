import AdLabCore
import AdLabTensor

@testable import AdLabEnvironments

/// Small e-commerce markets for tests (debug builds are slow, so populations and catalogs are small) and
/// helpers to drive them without a runner.
enum EcommerceTestSupport {
  /// A small market; `configure` adjusts the parameters.
  static func make(seed: UInt64 = 5, _ configure: (inout EcommerceEnvironment.Params) -> Void = { _ in })
    -> EcommerceEnvironment
  {
    var params = EcommerceEnvironment.Params()
    params.users = 2000
    params.items = 500
    params.brands = 40
    params.ads = 60
    params.pageViewsPerDay = 2000
    configure(&params)
    precondition(params.crossFieldProblems().isEmpty, "bad test parameters: \(params.crossFieldProblems())")
    return EcommerceEnvironment(
      params,
      context: PluginContext(
        key: StreamKey(seed: seed).child("env"), replication: 0, horizon: 10_000, batchSize: 100, candidateCount: 0))
  }

  /// No auction losses, budgets that never bind.
  static func unconstrained(_ p: inout EcommerceEnvironment.Params) {
    p.competingBid = 0
    p.dailyBudget = 1e12
    p.budgetSigma = 0
  }

  /// Actions filling slot s with candidate (s + shift) mod K for every decision.
  static func fill(_ batch: DecisionBatch, shift: Int = 0) -> [Int32] {
    let k = batch.candidateCount, slots = batch.slotCount
    var actions = [Int32](repeating: DecisionBatch.noAd, count: batch.actionCount)
    for i in 0..<batch.count {
      for s in 0..<slots { actions[i * slots + s] = Int32((s + shift) % k) }
    }
    return actions
  }

  /// Serves and resolves `batches` batches of `size`, filling slots with `actions(batch)`; calls `visit` with each.
  static func run(
    _ env: EcommerceEnvironment, batches: Int, size: Int, actions: (DecisionBatch) -> [Int32] = { fill($0) },
    visit: (DecisionBatch, [Int32], OutcomeBatch) -> Void = { _, _, _ in }
  ) {
    var outcomes = OutcomeBatch(count: 0)
    for b in 0..<batches {
      let batch = env.nextBatch(firstStep: b * size, count: size)
      let chosen = actions(batch)
      outcomes.prepare(count: batch.actionCount)
      chosen.withUnsafeBufferPointer { env.resolve(batch, actions: $0, into: &outcomes) }
      visit(batch, chosen, outcomes)
    }
  }

  /// |observed − expected| within `z` standard deviations of a sum of independent Bernoulli(p_i) draws.
  static func withinBounds(observed: Double, probabilities: [Double], z: Double = 5) -> Bool {
    let mean = probabilities.reduce(0, +)
    let variance = probabilities.reduce(0) { $0 + $1 * (1 - $1) }
    return abs(observed - mean) <= z * variance.squareRoot() + 1e-9
  }
}
