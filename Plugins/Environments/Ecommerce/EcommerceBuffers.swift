/// A reusable, manually managed column of `T` that grows to the largest size asked for. Serving writes every
/// feature and cached probability through these raw pointers: writing into `[T]` properties of a struct passed
/// `inout` costs a uniqueness and a bounds check per element, several times the work of the simulation itself.
struct EcommerceColumn<T> {
  private(set) var pointer: UnsafeMutablePointer<T>
  private(set) var capacity: Int

  init(_ zero: T) {
    capacity = 1
    pointer = .allocate(capacity: 1)
    pointer.initialize(to: zero)
  }

  /// Makes room for `count` elements (contents are not kept when it grows; every batch rewrites them).
  mutating func reserve(_ count: Int, zero: T) {
    guard count > capacity else { return }
    pointer.deallocate()
    capacity = count
    pointer = .allocate(capacity: count)
    pointer.initialize(repeating: zero, count: count)
  }

  /// The first `count` elements as an array (one copy).
  func array(_ count: Int) -> [T] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

  func deallocate() { pointer.deallocate() }
}

/// Everything serving writes for one batch: the features (copied into the `FeatureBatch` at the end) and the
/// per-decision cache `resolve` and `expectedOutcomes` read back, plus per-decision scratch space.
/// Only trivial element types are stored, so deallocating without deinitialising is correct. The columns opt out of
/// dynamic exclusivity checks: an environment is used by one thread, and serving reads them dozens of times per
/// page view, where the checks cost more than the reads.
final class EcommerceBuffers {
  // The cache of the last served batch: its steps `firstStep ..< firstStep + count`.
  var firstStep = 0
  var count = 0
  /// Per step of the batch: the step's decision index, or −1 when the step had no page view (its user was away).
  @exclusivity(unchecked) var stepPosition = EcommerceColumn<Int32>(-1)
  @exclusivity(unchecked) var user = EcommerceColumn<Int32>(0)
  @exclusivity(unchecked) var time = EcommerceColumn<Float>(0)
  @exclusivity(unchecked) var recentExposures = EcommerceColumn<Int32>(0)
  /// Per (decision, candidate).
  @exclusivity(unchecked) var clickProbability = EcommerceColumn<Float>(0)
  @exclusivity(unchecked) var conversionProbability = EcommerceColumn<Float>(0)
  @exclusivity(unchecked) var servable = EcommerceColumn<Bool>(false)
  /// Per (decision, slot).
  @exclusivity(unchecked) var competingBid = EcommerceColumn<Double>(0)
  // Features.
  @exclusivity(unchecked) var decisionCategorical = EcommerceColumn<UInt64>(0)
  @exclusivity(unchecked) var candidateCategorical = EcommerceColumn<UInt64>(0)
  @exclusivity(unchecked) var decisionDense = EcommerceColumn<Float>(0)
  @exclusivity(unchecked) var candidateDense = EcommerceColumn<Float>(0)
  @exclusivity(unchecked) var sequences = EcommerceColumn<UInt64>(0)
  @exclusivity(unchecked) var sequenceLengths = EcommerceColumn<Int32>(0)
  @exclusivity(unchecked) var candidateIDs = EcommerceColumn<UInt64>(0)
  /// Per (decision, candidate): the candidate's item is new (`DecisionBatch.newItemCandidates`).
  @exclusivity(unchecked) var newItem = EcommerceColumn<Bool>(false)
  /// Per step of the batch: its uniforms (`uniformsPerStep` each), the user the timeline brings and whether it
  /// continues the previous step's session.
  @exclusivity(unchecked) var uniforms = EcommerceColumn<Double>(0)
  @exclusivity(unchecked) var drawnUser = EcommerceColumn<Int32>(0)
  @exclusivity(unchecked) var continuing = EcommerceColumn<Bool>(false)
  // Per-decision scratch.
  @exclusivity(unchecked) var interestWeights = EcommerceColumn<Double>(0)
  @exclusivity(unchecked) var chosen = EcommerceColumn<Int32>(0)
  /// Candidates' ads with several creatives, and their rotation uniforms.
  @exclusivity(unchecked) var rotatingAds = EcommerceColumn<UInt64>(0)
  @exclusivity(unchecked) var rotation = EcommerceColumn<Double>(0)
  @exclusivity(unchecked) var historyLeaves = EcommerceColumn<Int32>(0)
  @exclusivity(unchecked) var exposureAd = EcommerceColumn<Int32>(0)
  @exclusivity(unchecked) var exposureTop = EcommerceColumn<Int32>(0)
  @exclusivity(unchecked) var exposureWeight = EcommerceColumn<Double>(0)
  @exclusivity(unchecked) var exposureInWindow = EcommerceColumn<Bool>(false)
  /// Per-decision sums indexed by ad, top category and leaf, so each candidate reads its fatigue and history match
  /// in O(1); serving zeroes the entries it touched before the next decision.
  @exclusivity(unchecked) var adWeight = EcommerceColumn<Double>(0)
  @exclusivity(unchecked) var adRecent = EcommerceColumn<Int32>(0)
  @exclusivity(unchecked) var topWeight = EcommerceColumn<Double>(0)
  @exclusivity(unchecked) var leafCount = EcommerceColumn<Int32>(0)

  init(_ params: EcommerceEnvironment.Params, adCount: Int) {
    adWeight.reserve(adCount, zero: 0)
    adRecent.reserve(adCount, zero: 0)
    topWeight.reserve(params.topCategories, zero: 0)
    leafCount.reserve(params.leafCategories, zero: 0)
    interestWeights.reserve(params.topCategories, zero: 0)
    chosen.reserve(params.candidates, zero: 0)
    rotatingAds.reserve(params.candidates, zero: 0)
    rotation.reserve(params.candidates, zero: 0)
    historyLeaves.reserve(params.history, zero: 0)
    exposureAd.reserve(params.exposureMemory, zero: 0)
    exposureTop.reserve(params.exposureMemory, zero: 0)
    exposureWeight.reserve(params.exposureMemory, zero: 0)
    exposureInWindow.reserve(params.exposureMemory, zero: false)
  }

  /// Sizes every per-batch column for `count` decisions.
  func prepare(
    count n: Int, candidates k: Int, slots: Int, history: Int, firstStep: Int, decisionDense decisionWidth: Int,
    candidateDense candidateWidth: Int
  ) {
    self.firstStep = firstStep
    count = n
    stepPosition.reserve(n, zero: -1)
    uniforms.reserve(n * (4 + 2 * slots + k + 4), zero: 0)
    drawnUser.reserve(n, zero: 0)
    continuing.reserve(n, zero: false)
    user.reserve(n, zero: 0)
    time.reserve(n, zero: 0)
    recentExposures.reserve(n, zero: 0)
    clickProbability.reserve(n * k, zero: 0)
    conversionProbability.reserve(n * k, zero: 0)
    servable.reserve(n * k, zero: false)
    competingBid.reserve(n * slots, zero: 0)
    decisionCategorical.reserve(n * EcommerceEnvironment.decisionCategoricalWidth, zero: 0)
    candidateCategorical.reserve(n * k * EcommerceEnvironment.candidateCategoricalWidth, zero: 0)
    decisionDense.reserve(n * decisionWidth, zero: 0)
    candidateDense.reserve(n * k * candidateWidth, zero: 0)
    newItem.reserve(n * k, zero: false)
    sequences.reserve(n * history, zero: 0)
    sequenceLengths.reserve(n, zero: 0)
    candidateIDs.reserve(n * k, zero: 0)
  }

  /// Index of a step's decision in the last served batch.
  @inline(__always) func position(of step: Int) -> Int {
    let s = step - firstStep
    precondition(
      s >= 0 && s < count,
      "ecommerce: step \(step) was not served by the last nextBatch (\(firstStep)..<\(firstStep + count))")
    let p = Int(stepPosition.pointer[s])
    precondition(p >= 0, "ecommerce: step \(step) had no page view in the last nextBatch")
    return p
  }

  deinit {
    stepPosition.deallocate()
    user.deallocate()
    time.deallocate()
    recentExposures.deallocate()
    clickProbability.deallocate()
    conversionProbability.deallocate()
    servable.deallocate()
    competingBid.deallocate()
    decisionCategorical.deallocate()
    candidateCategorical.deallocate()
    decisionDense.deallocate()
    candidateDense.deallocate()
    newItem.deallocate()
    sequences.deallocate()
    sequenceLengths.deallocate()
    candidateIDs.deallocate()
    uniforms.deallocate()
    drawnUser.deallocate()
    continuing.deallocate()
    interestWeights.deallocate()
    chosen.deallocate()
    rotatingAds.deallocate()
    rotation.deallocate()
    historyLeaves.deallocate()
    exposureAd.deallocate()
    exposureTop.deallocate()
    exposureWeight.deallocate()
    exposureInWindow.deallocate()
    adWeight.deallocate()
    adRecent.deallocate()
    topWeight.deallocate()
    leafCount.deallocate()
  }
}
