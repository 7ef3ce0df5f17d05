import AdLabCore
import AdLabTensor
import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
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
      abstract: "Measure impressions/s of the ecommerce market and the full loop, and 1M-user memory (build with -c release).",
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
        print(String(format: "memory: %d users, peak RSS %.0f MiB (%.0f bytes per user incl. process baseline)",
          rssUsers, megabytes, megabytes * 1_048_576 / Double(rssUsers)))
      }
      print("ecommerce: \(users) users, \(items) items, \(ads) ads, \(slots) slots, batch \(batch)")
      print("                          1 job (impr/s)   \(cores) cores (impr/s)   per core (impr/s)   per CPU-second (1 job)")
      let envOne = try measureEnvironment(jobs: 1, registry: registry), envAll = try measureEnvironment(jobs: cores, registry: registry)
      print(row("environment alone", envOne, envAll, cores))
      let loopOne = try await measureLoop(jobs: 1, registry: registry), loopAll = try await measureLoop(jobs: cores, registry: registry)
      print(row("logistic + greedy-model", loopOne, loopAll, cores))
      print("(per CPU-second divides by the process's CPU time instead of wall time: on a shared machine it is the fairer per-core figure)")
    }

    /// A rate by wall time and by CPU time.
    struct Rate {
      var wall = 0.0
      var cpu = 0.0
    }

    private func row(_ name: String, _ one: Rate, _ all: Rate, _ cores: Int) -> String {
      name.padding(toLength: 26, withPad: " ", startingAt: 0)
        + String(format: "%-17.0f%-22.0f%-20.0f%.0f", one.wall, all.wall, all.wall / Double(cores), one.cpu)
    }

    /// CPU seconds (user + system) the process has used so far, over all threads.
    private func cpuSeconds() -> Double {
      var spec = timespec()
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
      return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
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

    /// Serves and resolves `pageViews` page views with the first `slots` candidates; returns (impressions, seconds).
    private func drive(_ env: any Environment, pageViews: Int) -> (Double, Double) {
      let slots = env.slotCount
      var outcomes = OutcomeBatch(count: 0)
      var actions: [Int32] = []
      var impressions = 0.0
      let start = DispatchTime.now().uptimeNanoseconds
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
      return (impressions, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Impressions per second of `jobs` environments driven in parallel (construction excluded), best of two.
    private func measureEnvironment(jobs: Int, registry: PluginRegistry) throws -> Rate {
      let environment = try spec(users: users, replications: 1, horizon: batch, registry: registry).environment
      let pageViews = pageViews
      var best = Rate()
      for _ in 0..<2 {
        let envs = try (0..<jobs).map { try environment.make(context($0)) }
        nonisolated(unsafe) let shared = envs
        let results = UnsafeMutableBufferPointer<(Double, Double)>.allocate(capacity: jobs)
        defer { results.deallocate() }
        nonisolated(unsafe) let out = results
        let start = DispatchTime.now().uptimeNanoseconds, cpuStart = cpuSeconds()
        // Each job drives its own environment and writes only its own result slot.
        DispatchQueue.concurrentPerform(iterations: jobs) { j in out[j] = drive(shared[j], pageViews: pageViews) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpu = cpuSeconds() - cpuStart
        let impressions = results.reduce(0) { $0 + $1.0 }
        best.wall = max(best.wall, impressions / seconds)
        best.cpu = max(best.cpu, impressions / cpu)
      }
      return best
    }

    /// Impressions per second of the whole runner (`jobs` replications on `jobs` threads), best of two.
    private func measureLoop(jobs: Int, registry: PluginRegistry) async throws -> Rate {
      let spec = try spec(users: users, replications: jobs, horizon: loopPageViews, registry: registry)
      var best = Rate()
      for _ in 0..<2 {
        let start = DispatchTime.now().uptimeNanoseconds, cpuStart = cpuSeconds()
        let result = try await ExperimentRunner(jobs: jobs).run(spec)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpu = cpuSeconds() - cpuStart
        let impressions = result.jobs.flatMap { $0 }.reduce(0) { $0 + $1.totals.impressions }
        best.wall = max(best.wall, impressions / seconds)
        best.cpu = max(best.cpu, impressions / cpu)
      }
      return best
    }
  }
}
