import AdLabTensor

/// The sums every estimator is a function of, over a set of rounds (all of them, or a bootstrap resample).
/// One pass fills them for all estimators at once, so a bootstrap resample costs one pass over n rounds.
struct EstimatorSums {
  var n = 0.0
  var weightedReward = 0.0
  var weight = 0.0
  var modelValue = 0.0
  var weightedResidual = 0.0
  var switchedResidual = 0.0
  var accepted = 0.0
  var acceptedReward = 0.0

  /// Adds round `i` of `inputs`.
  @inline(__always) mutating func add(_ i: Int, _ r: UnsafeBufferPointer<Double>, _ w: UnsafeBufferPointer<Double>,
                                      _ f: UnsafeBufferPointer<Double>, _ m: UnsafeBufferPointer<Double>,
                                      _ acc: UnsafeBufferPointer<Double>, tau: Double) {
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

  /// Sums over every round of `inputs`, or over the rounds listed in `indices` (with repeats).
  static func over(_ inputs: OffPolicyInputs, indices: UnsafeBufferPointer<Int32>? = nil) -> EstimatorSums {
    var sums = EstimatorSums()
    inputs.rewards.withUnsafeBufferPointer { r in
      inputs.weights.withUnsafeBufferPointer { w in
        inputs.factual.withUnsafeBufferPointer { f in
          inputs.modelValue.withUnsafeBufferPointer { m in
            inputs.accepted.withUnsafeBufferPointer { acc in
              if let indices {
                for j in indices { sums.add(Int(j), r, w, f, m, acc, tau: inputs.tau) }
              } else {
                for i in 0..<r.count { sums.add(i, r, w, f, m, acc, tau: inputs.tau) }
              }
            }
          }
        }
      }
    }
    return sums
  }
}

extension OffPolicyInputs {
  /// The analytic standard error of `estimator` around `value`, where one exists (nil for DM, whose error is
  /// the model's bias, which no variance formula sees).
  func standardError(_ estimator: OffPolicyEstimator, value: Double) -> Double? {
    let n = count
    guard n > 1 else { return nil }
    func meanSE(_ term: (Int) -> Double) -> Double {
      var mean = 0.0
      for i in 0..<n { mean += term(i) }
      mean /= Double(n)
      var ss = 0.0
      for i in 0..<n { let d = term(i) - mean; ss += d * d }
      return (ss / Double(n - 1)).squareRoot() / Double(n).squareRoot()
    }
    switch estimator {
    case .dm: return nil
    case .ipw: return meanSE { weights[$0] * rewards[$0] }
    case .snipw:
      var ss = 0.0, sw = 0.0
      for i in 0..<n {
        let d = weights[i] * (rewards[i] - value)
        ss += d * d
        sw += weights[i]
      }
      return sw > 0 ? ss.squareRoot() / sw : nil
    case .dr: return meanSE { modelValue[$0] + weights[$0] * (rewards[$0] - factual[$0]) }
    case .switchDR:
      return meanSE { modelValue[$0] + (weights[$0] <= tau ? weights[$0] * (rewards[$0] - factual[$0]) : 0) }
    case .sndr:
      var sw = 0.0, correction = 0.0
      for i in 0..<n {
        sw += weights[i]
        correction += weights[i] * (rewards[i] - factual[i])
      }
      guard sw > 0 else { return nil }
      let c = correction / sw, meanWeight = sw / Double(n)
      return meanSE { modelValue[$0] + weights[$0] * (rewards[$0] - factual[$0] - c) / meanWeight }
    case .replay:
      let kept = (0..<n).filter { accepted[$0] > 0 }
      guard kept.count > 1 else { return nil }
      let mean = kept.reduce(0) { $0 + rewards[$1] } / Double(kept.count)
      let ss = kept.reduce(0) { $0 + (rewards[$1] - mean) * (rewards[$1] - mean) }
      return (ss / Double(kept.count - 1)).squareRoot() / Double(kept.count).squareRoot()
    }
  }

  /// Point estimate, analytic SE and a percentile bootstrap interval for each estimator. Bootstrap resamples
  /// draw n rounds with replacement from `bootstrapKey`'s stream and re-sum the inputs (conditional on the
  /// fitted reward model: q̂ is not refitted per resample).
  public func estimate(
    _ estimators: [OffPolicyEstimator], bootstrap: Int, alpha: Double, bootstrapKey: StreamKey
  ) -> [OffPolicyEstimate] {
    let full = EstimatorSums.over(self)
    var resampled = [[Double]](repeating: [], count: estimators.count)
    if bootstrap > 0 && count > 0 {
      var stream = RandomStream(key: bootstrapKey)
      var indices = [Int32](repeating: 0, count: count)
      for _ in 0..<bootstrap {
        for j in 0..<count { indices[j] = Int32(stream.int(below: count)) }
        let sums = indices.withUnsafeBufferPointer { EstimatorSums.over(self, indices: $0) }
        for (e, estimator) in estimators.enumerated() { resampled[e].append(sums.value(estimator)) }
      }
    }
    return estimators.enumerated().map { e, estimator in
      let value = full.value(estimator)
      let (lower, upper) = Self.percentileInterval(resampled[e], alpha: alpha) ?? (value, value)
      return OffPolicyEstimate(
        estimator: estimator, value: value, standardError: standardError(estimator, value: value), lower: lower, upper: upper)
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
