import AdLabBench
import Testing

/// The harness's plan (warm-up, samples, calibration, budget), its statistics and its table layout.
struct BenchHarnessTests {
  @Test func runsWarmupThenRepeatsTimesCalls() {
    var calls = 0
    let timing = BenchTiming.measure(warmup: 2, repeats: 4, callsPerSample: 3) { calls += 1 }
    #expect(calls == 2 + 4 * 3)
    #expect(timing.samples.count == 4 && timing.cpuSamples.count == 4 && timing.callsPerSample == 3)
  }

  @Test func asyncBodyFollowsTheSamePlan() async {
    var calls = 0
    let timing = await BenchTiming.measure(warmup: 1, repeats: 2, callsPerSample: 2) { calls += 1 }
    #expect(calls == 1 + 2 * 2)
    #expect(timing.samples.count == 2)
  }

  /// A body of at least 1 ms calibrated to samples of 20 ms takes several calls per sample, and at most 20 (the
  /// calibration call took at least 1 ms); the bounds hold however loaded the machine is.
  @Test func calibratesCallsToTheMinimumSampleTime() {
    let clock = BenchClock()
    let timing = BenchTiming.measure(warmup: 0, repeats: 2, minimumSampleSeconds: 0.02) {
      let start = clock.now
      while clock.seconds(since: start) < 0.001 {}
    }
    #expect(timing.callsPerSample >= 2 && timing.callsPerSample <= 20)
    #expect(timing.best >= 0.001)
  }

  /// With a budget, sampling goes on past `repeats` until the budget or `maximumRepeats`.
  @Test func budgetAddsSamplesUpToTheMaximum() {
    let clock = BenchClock()
    let timing = BenchTiming.measure(warmup: 0, repeats: 2, budgetSeconds: 10, maximumRepeats: 6) {
      let start = clock.now
      while clock.seconds(since: start) < 0.0005 {}
    }
    #expect(timing.samples.count == 6)
    // Under any load: sampling stops at the first sample that brings the timed total to the budget.
    let short = BenchTiming.measure(warmup: 0, repeats: 2, budgetSeconds: 0.03, maximumRepeats: 1000) {
      let start = clock.now
      while clock.seconds(since: start) < 0.004 {}
    }
    #expect(short.samples.count >= 2)
    #expect(short.samples.reduce(0, +) >= 0.03)
    if short.samples.count > 2 { #expect(short.samples.dropLast().reduce(0, +) < 0.03) }
  }

  @Test func bestMedianAndRates() {
    let timing = BenchTiming(samples: [0.4, 0.1, 0.3, 0.2], cpuSamples: [0.5, 0.5, 0.25, 1], callsPerSample: 1)
    #expect(timing.best == 0.1)
    #expect(abs(timing.median - 0.25) < 1e-15)
    #expect(timing.bestRate(10) == 100)
    #expect(timing.bestCPURate(10) == 40)
    #expect(BenchTiming(samples: [3, 1, 2], cpuSamples: [], callsPerSample: 1).median == 2)
    #expect(BenchTiming(samples: [], cpuSamples: [], callsPerSample: 1).best.isNaN)
  }

  @Test func fixedDecimalsAndRatios() {
    #expect(BenchFormat.fixed(3.14159, digits: 2) == "3.14")
    #expect(BenchFormat.fixed(2.005, digits: 1) == "2.0")
    #expect(BenchFormat.fixed(0.05, digits: 1) == "0.1")
    #expect(BenchFormat.fixed(-1.25, digits: 1) == "-1.3")
    #expect(BenchFormat.fixed(-0.01, digits: 1) == "0.0")
    #expect(BenchFormat.fixed(1234.5, digits: 0) == "1235")
    #expect(BenchFormat.fixed(7, digits: 3) == "7.000")
    #expect(BenchFormat.fixed(.nan) == "-")
    #expect(BenchFormat.millions(2_730_000) == "2.730")
    #expect(BenchFormat.ratio(9, 3) == "3.0×")
    #expect(BenchFormat.ratio(1, 3, digits: 2) == "0.33×")
    #expect(BenchFormat.ratio(1, nil) == "-")
    #expect(BenchFormat.ratio(1, 0) == "-")
  }

  @Test func tableAlignsColumnsAndFillsMissingCells() {
    var table = BenchTable(title: "rates", label: "policy", figures: ["1 job", "ratio"])
    table.add(["ucb1", "16.000", "15.0×"])
    table.add(["thompson-sampling", "2.7"])
    #expect(
      table.lines == [
        "rates",
        "policy              1 job  ratio",
        "ucb1               16.000  15.0×",
        "thompson-sampling     2.7      -",
      ])
    var printed: [String] = []
    table.print { printed.append($0) }
    #expect(printed == table.lines)
  }
}
