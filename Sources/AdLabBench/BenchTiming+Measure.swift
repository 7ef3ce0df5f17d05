/// `BenchTiming.measure`: the one way every `adlab bench …` figure is timed.
extension BenchTiming {
  /// How every `adlab bench …` figure is measured: warm-up calls, then timed samples, each the mean of one or more
  /// calls of the body; the result holds the best and the median sample.
  ///
  /// - `warmup` calls are made first and not timed (page faults, thread-pool start, lazily built state).
  /// - `callsPerSample` calls make one sample; with `minimumSampleSeconds > 0`, one extra timed call after the
  ///   warm-up sets it instead, so that a sample lasts at least that long (short bodies, e.g. a 64³ GEMM).
  /// - At least `repeats` samples are taken; with `budgetSeconds > 0` sampling continues while the total timed
  ///   time stays under the budget, up to `maximumRepeats` samples.
  ///
  /// `body` runs `warmup + calls × samples` times (plus one calibration call when `minimumSampleSeconds > 0`).
  public static func measure(
    warmup: Int = 1, repeats: Int = 3, callsPerSample: Int = 1, minimumSampleSeconds: Double = 0,
    budgetSeconds: Double = 0, maximumRepeats: Int = 1000, _ body: () throws -> Void
  ) rethrows -> BenchTiming {
    var sampling = Sampling(
      repeats: repeats, budgetSeconds: budgetSeconds, maximumRepeats: maximumRepeats, calls: callsPerSample)
    for _ in 0..<max(0, warmup) { try body() }
    if minimumSampleSeconds > 0 {
      let start = sampling.clock.now
      try body()
      sampling.calibrate(minimumSampleSeconds, oneCall: sampling.clock.seconds(since: start))
    }
    while sampling.wantsMore {
      let mark = sampling.mark()
      for _ in 0..<sampling.calls { try body() }
      sampling.record(since: mark)
    }
    return sampling.timing
  }

  /// The same measurement for an asynchronous body (a whole experiment run).
  public static func measure(
    warmup: Int = 1, repeats: Int = 3, callsPerSample: Int = 1, minimumSampleSeconds: Double = 0,
    budgetSeconds: Double = 0, maximumRepeats: Int = 1000, _ body: () async throws -> Void
  ) async rethrows -> BenchTiming {
    var sampling = Sampling(
      repeats: repeats, budgetSeconds: budgetSeconds, maximumRepeats: maximumRepeats, calls: callsPerSample)
    for _ in 0..<max(0, warmup) { try await body() }
    if minimumSampleSeconds > 0 {
      let start = sampling.clock.now
      try await body()
      sampling.calibrate(minimumSampleSeconds, oneCall: sampling.clock.seconds(since: start))
    }
    while sampling.wantsMore {
      let mark = sampling.mark()
      for _ in 0..<sampling.calls { try await body() }
      sampling.record(since: mark)
    }
    return sampling.timing
  }

  /// The bookkeeping shared by the synchronous and asynchronous forms: when to stop, and the samples so far.
  struct Sampling {
    let clock = BenchClock()
    let repeats: Int
    let budgetSeconds: Double
    let maximumRepeats: Int
    var calls: Int
    var samples: [Double] = []
    var cpuSamples: [Double] = []
    var total = 0.0

    init(repeats: Int, budgetSeconds: Double, maximumRepeats: Int, calls: Int) {
      self.repeats = max(1, repeats)
      self.budgetSeconds = budgetSeconds
      self.maximumRepeats = maximumRepeats
      self.calls = max(1, calls)
    }

    var wantsMore: Bool {
      samples.count < repeats || (total < budgetSeconds && samples.count < maximumRepeats)
    }

    /// Calls per sample for a sample of at least `seconds`, given one call's time.
    mutating func calibrate(_ seconds: Double, oneCall: Double) {
      guard oneCall > 0, oneCall.isFinite else { return }
      let needed = (seconds / oneCall).rounded(.up)
      calls = needed >= 1e9 ? 1_000_000_000 : max(1, Int(needed))
    }

    func mark() -> (wall: ContinuousClock.Instant, cpu: Double) { (clock.now, BenchClock.processCPUSeconds()) }

    mutating func record(since mark: (wall: ContinuousClock.Instant, cpu: Double)) {
      let seconds = clock.seconds(since: mark.wall)
      samples.append(seconds / Double(calls))
      cpuSamples.append((BenchClock.processCPUSeconds() - mark.cpu) / Double(calls))
      total += seconds
    }

    var timing: BenchTiming { BenchTiming(samples: samples, cpuSamples: cpuSamples, callsPerSample: calls) }
  }
}
