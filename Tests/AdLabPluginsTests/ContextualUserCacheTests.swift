import AdLabCore
import AdLabTensor
import Testing

@testable import AdLabEnvironments

/// The `contextual` environment keeps the user vectors of its last batch for the oracle and the clicks: a batch
/// served earlier (a cache miss), a subset of the last one, and the last one itself must give the same bits.
struct ContextualUserCacheTests {
  @Test(arguments: [false, true])
  func cachedAndRedrawnUsersGiveTheSameOutcomes(logistic: Bool) {
    var params = ContextualEnvironment.Params()
    params.arms = 4
    params.dimension = 13  // not a multiple of the lane widths
    params.link = logistic ? .logistic : .linear
    if logistic {
      params.nonlinearity = 1
      params.history = 6
      params.conversions = true
    }
    let context = PluginContext(
      key: StreamKey(seed: 61).child("env"), replication: 0, horizon: 1000, batchSize: 50, candidateCount: 0)
    let cached = ContextualEnvironment(params, context: context)
    let fresh = ContextualEnvironment(params, context: context)
    let first = cached.nextBatch(firstStep: 0, count: 50)
    let second = cached.nextBatch(firstStep: 50, count: 50)  // now `first` is no longer cached
    _ = fresh.nextBatch(firstStep: 50, count: 50)
    let actions = (0..<50).map { Int32($0 % 4) }
    for batch in [first, second, second.subset([7, 3, 40])] {
      var a = OutcomeBatch(count: batch.count * 4), b = a
      cached.expectedOutcomes(batch, into: &a)
      // `other` has served nothing, so it draws every user again; `cached` reads its cache for `second`.
      let other = ContextualEnvironment(params, context: context)
      other.expectedOutcomes(batch, into: &b)
      #expect(a.clicks.map(\.bitPattern) == b.clicks.map(\.bitPattern))
      #expect(a.conversions.map(\.bitPattern) == b.conversions.map(\.bitPattern))
      var ra = OutcomeBatch(count: batch.count), rb = ra
      let chosen = Array(actions[0..<batch.count])
      chosen.withUnsafeBufferPointer { cached.resolve(batch, actions: $0, into: &ra) }
      chosen.withUnsafeBufferPointer { other.resolve(batch, actions: $0, into: &rb) }
      #expect(ra.clicks == rb.clicks && ra.conversions == rb.conversions)
    }
    // The served features are the cached vectors rounded to Float, the same as a fresh draw's.
    #expect(second.features.decisionDense == fresh.nextBatch(firstStep: 50, count: 50).features.decisionDense)
  }
}
