import AdLabTensor

/// The sums every estimator is a function of, over a set of rounds (all of them, or a bootstrap resample's
/// weighted rounds). One pass fills them for all estimators at once.
struct EstimatorSums {
  var n = 0.0
  var weightedReward = 0.0
  var weight = 0.0
  var modelValue = 0.0
  var weightedResidual = 0.0
  var switchedResidual = 0.0
  var accepted = 0.0
  var acceptedReward = 0.0

  /// The sums in the order `EstimatorAccumulator` keeps a resample's: n, Σw·r, Σw, Σq̂_π, Σw·(r − q̂), switched, kept, kept·r.
  init(_ flat: UnsafeBufferPointer<Double>) {
    n = flat[0]
    weightedReward = flat[1]
    weight = flat[2]
    modelValue = flat[3]
    weightedResidual = flat[4]
    switchedResidual = flat[5]
    accepted = flat[6]
    acceptedReward = flat[7]
  }

  init() {}

  /// Adds round `i` of `inputs`.
  @inline(__always) mutating func add(
    _ i: Int, _ r: UnsafeBufferPointer<Double>, _ w: UnsafeBufferPointer<Double>,
    _ f: UnsafeBufferPointer<Double>, _ m: UnsafeBufferPointer<Double>,
    _ acc: UnsafeBufferPointer<Double>, tau: Double
  ) {
    n += 1
    weightedReward += w[i] * r[i]
    weight += w[i]
    if !f.isEmpty {
      let residual = w[i] * (r[i] - f[i])
      modelValue += m[i]
      weightedResidual += residual
      if w[i] <= tau { switchedResidual += residual }
    }
    if !acc.isEmpty {
      accepted += acc[i]
      acceptedReward += acc[i] * r[i]
    }
  }

  /// The estimate of `estimator` from these sums (NaN when undefined, e.g. replay kept no round).
  func value(_ estimator: OffPolicyEstimator) -> Double {
    switch estimator {
    case .dm: return modelValue / n
    case .ipw: return weightedReward / n
    case .snipw: return weight > 0 ? weightedReward / weight : .nan
    case .dr: return (modelValue + weightedResidual) / n
    case .sndr: return weight > 0 ? modelValue / n + weightedResidual / weight : .nan
    case .switchDR: return (modelValue + switchedResidual) / n
    case .replay: return accepted > 0 ? acceptedReward / accepted : .nan
    }
  }

  /// Sums over every round of `inputs`, in order.
  static func over(_ inputs: OffPolicyInputs) -> EstimatorSums {
    var sums = EstimatorSums()
    inputs.withBuffers { r, w, f, m, acc in
      for i in 0..<r.count { sums.add(i, r, w, f, m, acc, tau: inputs.tau) }
    }
    return sums
  }
}

/// Every estimator's state over a stream of rounds, fed chunk by chunk in round order: the point-estimate sums,
/// the moments of the analytic standard errors and `resamples` Poisson-bootstrap resamples' sums, all in one pass
/// and in memory independent of the number of rounds. Each quantity is a running sum added round by round in
/// round order, so the result is bit-identical however the rounds are chunked (and the runner's threads only
/// ever split work across variants and segments, never one sum).
struct EstimatorAccumulator {
  private(set) var sums = EstimatorSums()
  private(set) var moments = TermMoments()
  let resamples: Int
  let bootstrapKey: StreamKey
  /// resamples × 8 sums, in `EstimatorSums(flat:)` order.
  private var resampleSums: [Double]
  private var uniforms: [Double], weights: [Double]

  init(resamples: Int, bootstrapKey: StreamKey) {
    self.resamples = resamples
    self.bootstrapKey = bootstrapKey
    resampleSums = [Double](repeating: 0, count: resamples * 8)
    uniforms = [Double](repeating: 0, count: resamples)
    weights = uniforms
  }

  /// Adds the rounds of `inputs`, which are rounds `firstRound ..< firstRound + inputs.count` of the stream.
  mutating func add(_ inputs: OffPolicyInputs, firstRound: Int) {
    let tau = inputs.tau, resamples = resamples, key = bootstrapKey
    let hasModel = inputs.hasModel, hasReplay = !inputs.accepted.isEmpty
    // Work on locals (the arrays moved out, not copied) so the closures below do not overlap accesses to self.
    var sums = self.sums, moments = self.moments
    var resampleSums = self.resampleSums, uniforms = self.uniforms, weights = self.weights
    self.resampleSums = []
    self.uniforms = []
    self.weights = []
    inputs.withBuffers { r, w, f, m, acc in
      resampleSums.withUnsafeMutableBufferPointer { resampled in
        let base = resampled.baseAddress.map { UnsafeMutableRawPointer($0) }
        uniforms.withUnsafeMutableBufferPointer { uniforms in
          weights.withUnsafeMutableBufferPointer { weights in
            for i in 0..<r.count {
              sums.add(i, r, w, f, m, acc, tau: tau)
              let residual = hasModel ? w[i] * (r[i] - f[i]) : 0
              let model = hasModel ? m[i] : 0
              let switched = hasModel && w[i] <= tau ? residual : 0
              let kept = hasReplay ? acc[i] : 0
              moments.add(
                SIMD8(w[i] * r[i], w[i], model, residual, switched, 0, 0, 0), weight: w[i], reward: r[i], accepted: kept
              )
              guard let base else { continue }
              let terms = SIMD8<Double>(1, w[i] * r[i], w[i], model, residual, switched, kept, kept * r[i])
              PoissonBootstrap.weights(key: key, round: firstRound + i, uniforms: uniforms, into: weights)
              for b in 0..<resamples where weights[b] != 0 {
                let slot = base.advanced(by: b * 8 * MemoryLayout<Double>.stride)
                let current = slot.loadUnaligned(as: SIMD8<Double>.self)
                slot.storeBytes(of: current + weights[b] * terms, as: SIMD8<Double>.self)
              }
            }
          }
        }
      }
    }
    self.sums = sums
    self.moments = moments
    self.resampleSums = resampleSums
    self.uniforms = uniforms
    self.weights = weights
  }

  /// Point estimate, analytic SE and percentile bootstrap interval at confidence 1 − alpha for each estimator
  /// (conditional on the fitted reward model: q̂ is not refitted per resample).
  func estimates(_ estimators: [OffPolicyEstimator], alpha: Double) -> [OffPolicyEstimate] {
    estimators.map { estimator in
      let value = sums.value(estimator)
      var resampled: [Double] = []
      resampleSums.withUnsafeBufferPointer { flat in
        for b in 0..<resamples {
          resampled.append(EstimatorSums(UnsafeBufferPointer(rebasing: flat[(b * 8)..<(b * 8 + 8)])).value(estimator))
        }
      }
      let (lower, upper) = Self.percentileInterval(resampled, alpha: alpha) ?? (value, value)
      return OffPolicyEstimate(
        estimator: estimator, value: value, standardError: moments.standardError(estimator, value: value, sums: sums),
        lower: lower, upper: upper)
    }
  }

  /// The alpha/2 and 1 − alpha/2 quantiles (linear interpolation) of the finite values, or nil when none.
  static func percentileInterval(_ values: [Double], alpha: Double) -> (Double, Double)? {
    let sorted = values.filter(\.isFinite).sorted()
    guard !sorted.isEmpty else { return nil }
    func quantile(_ q: Double) -> Double {
      let position = q * Double(sorted.count - 1)
      let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
      return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }
    return (quantile(alpha / 2), quantile(1 - alpha / 2))
  }
}

extension OffPolicyInputs {
  /// Point estimate, analytic SE and a Poisson-bootstrap percentile interval for each estimator, over these rounds
  /// (numbered from 0 for the bootstrap's weights).
  public func estimate(
    _ estimators: [OffPolicyEstimator], bootstrap: Int, alpha: Double, bootstrapKey: StreamKey
  ) -> [OffPolicyEstimate] {
    var accumulator = EstimatorAccumulator(resamples: bootstrap, bootstrapKey: bootstrapKey)
    accumulator.add(self, firstRound: 0)
    return accumulator.estimates(estimators, alpha: alpha)
  }

  /// The columns as buffers (empty ones for what these inputs lack).
  func withBuffers<R>(
    _ body: (
      UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>,
      UnsafeBufferPointer<Double>,
      UnsafeBufferPointer<Double>
    ) throws -> R
  ) rethrows -> R {
    try rewards.withUnsafeBufferPointer { r in
      try weights.withUnsafeBufferPointer { w in
        try factual.withUnsafeBufferPointer { f in
          try modelValue.withUnsafeBufferPointer { m in
            try accepted.withUnsafeBufferPointer { acc in try body(r, w, f, m, acc) }
          }
        }
      }
    }
  }
}
