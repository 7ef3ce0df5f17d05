/// The timed samples of one measurement: seconds per call of the measured body (wall and process CPU time),
/// with the best (smallest) and the median sample.
///
/// The best sample is the headline figure (the least disturbed by other load); the median says how noisy the
/// machine was. Rates divide a unit of work (decisions, samples, flops) by those times.
public struct BenchTiming: Sendable {
  /// Wall seconds per call of each sample, in measurement order.
  public let samples: [Double]
  /// Process CPU seconds per call of each sample, in measurement order.
  public let cpuSamples: [Double]
  /// Calls of the body in each sample (more than one when a sample was calibrated to a minimum duration).
  public let callsPerSample: Int

  public init(samples: [Double], cpuSamples: [Double], callsPerSample: Int) {
    self.samples = samples
    self.cpuSamples = cpuSamples
    self.callsPerSample = callsPerSample
  }

  /// The fastest sample's wall seconds per call.
  public var best: Double { samples.min() ?? .nan }

  /// The median sample's wall seconds per call (the mean of the middle two for an even count).
  public var median: Double { Self.median(samples) }

  /// The fastest sample's CPU seconds per call.
  public var bestCPU: Double { cpuSamples.min() ?? .nan }

  /// `work` per wall second of the fastest sample (work done by one call: decisions, flops, …).
  public func bestRate(_ work: Double) -> Double { work / best }

  /// `work` per wall second of the median sample.
  public func medianRate(_ work: Double) -> Double { work / median }

  /// `work` per CPU second of the sample with the least CPU time.
  public func bestCPURate(_ work: Double) -> Double { work / bestCPU }

  static func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}
