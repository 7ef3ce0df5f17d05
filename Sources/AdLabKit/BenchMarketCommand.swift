import AdLabBench
import AdLabCore
import AdLabTensor
import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc  // getrusage
#elseif canImport(Darwin)
  import Darwin
#endif

extension AdLabCommand {
  /// `adlab bench market`: simulated ad impressions per second of the `ecommerce` market alone and of the full loop
  /// with an online interest model and a slot-filling greedy policy, one job and all cores, and the peak memory of
  /// a million-user market.
  struct BenchMarket: RegistryCommand {
    static let configuration = CommandConfiguration(
      commandName: "market",
      abstract:
        "Measure impressions/s of the ecommerce market and the full loop, and 1M-user memory (build with -c release).",
      discussion: """
        Environment alone: nextBatch + resolve with a fixed policy (the first `slots` candidates), no reward or \
        statistics. Full loop: the runner with `logistic` + `greedy-model`, reward, regret and statistics. Impressions \
        are ads actually shown (auction won, budget left). "all cores" runs one job per core in parallel. Memory: \
        peak resident set (getrusage ru_maxrss) after building a market of --rss-users users and serving 100k page \
        views; it is measured first, so it is the process peak.
        """)

    @OptionGroup var kernelOptions: KernelOptions

    @Option(help: "Users in the market.") var users = 100_000
    @Option(help: "Items in the catalog.") var items = 10_000
    @Option(help: "Ads.") var ads = 500
    @Option(help: "Ad slots per page view.") var slots = 3
    @Option(help: "Page views per job for the environment alone.") var pageViews = 1_000_000
    @Option(help: "Page views per job for the full loop.") var loopPageViews = 200_000
    @Option(help: "Page views between learner updates.") var batch = 1000
    @Option(help: "Users of the memory measurement (0 skips it).") var rssUsers = 1_000_000

    func run(registry: PluginRegistry) async throws {
      warnIfDebug()
      let cores = ProcessInfo.processInfo.activeProcessorCount
      if rssUsers > 0 {
        let megabytes = try measureMemory(registry: registry)
        print(
          String(
            format: "memory: %d users, peak RSS %.0f MiB (%.0f bytes per user incl. process baseline)",
            rssUsers, megabytes, megabytes * 1_048_576 / Double(rssUsers)))
      }
      var table = BenchTable(
        title: "ecommerce: \(users) users, \(items) items, \(ads) ads, \(slots) slots, batch \(batch), impressions/s",
        columns: [
          .init("", .left), .init("1 job"), .init("\(cores) cores"), .init("per core"), .init("per CPU-second (1 job)"),
        ])
      let envOne = try measureEnvironment(jobs: 1, registry: registry),
        envAll = try measureEnvironment(jobs: cores, registry: registry)
      table.add(row("environment alone", envOne, envAll, cores))
      let loopOne = try await measureLoop(jobs: 1, registry: registry),
        loopAll = try await measureLoop(jobs: cores, registry: registry)
      table.add(row("logistic + greedy-model", loopOne, loopAll, cores))
      table.print()
      print(
        "(per CPU-second divides by the process's CPU time instead of wall time: on a shared machine it is the fairer per-core figure)"
      )
    }

    /// A rate by wall time and by CPU time.
    struct Rate {
      var wall: Double
      var cpu: Double

      /// `work` per second of the best sample, by wall and by CPU time.
      init(_ timing: BenchTiming, work: Double) {
        wall = timing.bestRate(work)
        cpu = timing.bestCPURate(work)
      }
    }

    private func row(_ name: String, _ one: Rate, _ all: Rate, _ cores: Int) -> [String] {
      [name] + [one.wall, all.wall, all.wall / Double(cores), one.cpu].map { BenchFormat.fixed($0, digits: 0) }
    }

    private func spec(users: Int, replications: Int, horizon: Int, registry: PluginRegistry) throws -> ExperimentSpec {
      let text = """
        name: bench-market
        seed: 1
        replications: \(replications)
        horizon: \(horizon)
        batch: \(batch)
        environment: { plugin: ecommerce, params: { users: \(users), items: \(items), ads: \(ads), slots: \(slots) } }
        reward: click
        variants: { greedy: { policy: greedy-model, model: logistic } }
        """
      return try SpecLoader.load(text: text, file: "bench-market", registry: registry).spec
    }

    private func context(_ replication: Int) -> PluginContext {
      PluginContext(
        key: StreamKey(seed: 1).child(replication).child("environment"), replication: replication, horizon: pageViews,
        batchSize: batch, candidateCount: 0)
    }

    /// Peak RSS in MiB after building a market of `rssUsers` users and serving 100k page views.
    private func measureMemory(registry: PluginRegistry) throws -> Double {
      let environment = try spec(users: rssUsers, replications: 1, horizon: batch, registry: registry).environment
      let env = try environment.make(context(0))
      _ = drive(env, pageViews: 100_000)
      var usage = rusage()
      #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
      #else
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
      #endif
    }

    /// Serves and resolves `pageViews` page views with the first `slots` candidates; returns the impressions.
    private func drive(_ env: any Environment, pageViews: Int) -> Double {
      let slots = env.slotCount
      var outcomes = OutcomeBatch(count: 0)
      var actions: [Int32] = []
      var impressions = 0.0
      var step = 0
      while step < pageViews {
        let count = min(batch, pageViews - step)
        let served = env.nextBatch(firstStep: step, count: count)
        step += count
        if actions.count != served.actionCount {
          actions = (0..<served.actionCount).map { Int32($0 % slots) }
        }
        outcomes.prepare(count: served.actionCount)
        actions.withUnsafeBufferPointer { env.resolve(served, actions: $0, into: &outcomes) }
        for x in outcomes.impressions { impressions += x }
      }
      return impressions
    }

    /// Impressions per second of `jobs` environments driven in parallel, best of two; each sample drives fresh
    /// environments built beforehand, so construction is not timed.
    private func measureEnvironment(jobs: Int, registry: PluginRegistry) throws -> Rate {
      let environment = try spec(users: users, replications: 1, horizon: batch, registry: registry).environment
      let pageViews = pageViews, samples = 2
      let rounds = try (0..<samples).map { _ in try (0..<jobs).map { try environment.make(context($0)) } }
      let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: jobs)
      defer { results.deallocate() }
      nonisolated(unsafe) let out = results
      var round = 0, impressions = 0.0
      let timing = BenchTiming.measure(warmup: 0, repeats: samples) {
        nonisolated(unsafe) let envs = rounds[round]
        // Each job drives its own environment and writes only its own result slot.
        DispatchQueue.concurrentPerform(iterations: jobs) { j in out[j] = drive(envs[j], pageViews: pageViews) }
        impressions = out.reduce(0, +)
        round += 1
      }
      return Rate(timing, work: impressions)
    }

    /// Impressions per second of the whole runner (`jobs` replications on `jobs` threads), best of two.
    private func measureLoop(jobs: Int, registry: PluginRegistry) async throws -> Rate {
      let spec = try spec(users: users, replications: jobs, horizon: loopPageViews, registry: registry)
      var impressions = 0.0
      let timing = try await BenchTiming.measure(warmup: 0, repeats: 2) {
        let result = try await ExperimentRunner(jobs: jobs).run(spec)
        impressions = result.jobs.flatMap { $0 }.reduce(0) { $0 + $1.totals.impressions }
      }
      return Rate(timing, work: impressions)
    }
  }
}
