import AdLabBench
import AdLabCore
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab bench [policies|models|tensor|market|ope]`: release-mode figures, with peers measured in the same run when installed.
  struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Measure speed (build with -c release): policies (default), interest models, the tensor core, the ecommerce market, off-policy estimators, the MiniLM text encoder, or SmolLM2 generation.",
      subcommands: [
        BenchPolicies.self, BenchModels.self, BenchTensor.self, BenchMarket.self, BenchOPE.self, BenchProcess.self,
        BenchEmbed.self, BenchGenerate.self,
      ],
      defaultSubcommand: BenchPolicies.self)
  }

  /// `adlab bench models`: interest-model training samples/s, one thread and all cores, with PyTorch when installed.
  struct BenchModels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "models",
      abstract: "Measure interest-model training samples/s at batch 1024 (build with -c release).")

    @OptionGroup var kernelOptions: KernelOptions

    @Flag(help: "Skip the PyTorch peer.")
    var noPeers = false

    func run() async throws {
      warnIfDebug()
      try BenchModelsReport.run(peers: !noPeers)
    }
  }

  /// `adlab bench policies`: decisions per second of each bandit policy on the 10-ad Bernoulli environment, one
  /// job and all cores, with the Python peers (numpy, MABWiser) measured in the same run when they are installed.
  struct BenchPolicies: RegistryCommand {
    static let configuration = CommandConfiguration(
      commandName: "policies",
      abstract: "Measure decisions per second of each policy (build with -c release).",
      discussion: """
        Runs the full loop (environment, policy, reward, regret, statistics) on `bernoulli` with 10 ads (LinUCB: on \
        `contextual` with 10 ads and 15 features plus an intercept, d = 16). \
        "1 job" is one replication on one thread; "all cores" runs one replication per core in parallel. \
        With python3 and numpy (and mabwiser) installed, Tests/Peers/bandit_peers.py runs the peers on the same \
        problem and the ratio is printed.
        """)

    @OptionGroup var kernelOptions: KernelOptions

    @Option(help: "Decisions per replication.")
    var horizon: Int = 2_000_000

    @Option(help: "Decisions between learner updates.")
    var batch: Int = 1000

    @Option(help: "Policies to measure (comma-separated); linucb runs on the contextual environment (d = 16, 10 ads).")
    var policies: String = "random,epsilon-greedy,ucb1,thompson,exp3,linucb"

    @Flag(help: "Skip the Python peers.")
    var noPeers = false

    func run(registry: PluginRegistry) async throws {
      warnIfDebug()
      let cores = ProcessInfo.processInfo.activeProcessorCount
      let names = policies.split(separator: ",").map(String.init)
      let peers = noPeers ? [:] : PeerBenchmark.run(horizon: min(horizon, 1_000_000), batch: batch)
      var table = BenchTable(
        title: "decisions per second (M dec/s), best of 3 full runs",
        columns: [
          .init("policy", .left), .init("1 job"), .init("\(cores) cores"), .init("peer"), .init("peer source", .left),
          .init("ratio (1 job)"),
        ])
      for name in names {
        let single = try await measure(policy: name, replications: 1, jobs: 1, registry: registry)
        let all = try await measure(policy: name, replications: cores, jobs: cores, registry: registry)
        let peer = peers[name]
        table.add([
          name, BenchFormat.millions(single), BenchFormat.millions(all),
          peer.map { BenchFormat.millions($0.rate) } ?? "-",
          peer?.source ?? "-", BenchFormat.ratio(single, peer?.rate),
        ])
      }
      table.print()
      if peers.isEmpty && !noPeers {
        print("(no peers measured: install python3 with numpy, and mabwiser, to compare)")
      }
    }

    /// Decisions per second of a full run of `policy`, best of three (no warm-up: a run is seconds long).
    func measure(policy: String, replications: Int, jobs: Int, registry: PluginRegistry) async throws -> Double {
      let text = """
        name: bench
        seed: 1
        replications: \(replications)
        horizon: \(horizon)
        batch: \(batch)
        environment: \(policy == "linucb" ? "{ plugin: contextual, params: { arms: 10, dimension: 15 } }" : "{ plugin: bernoulli, params: { arms: 10 } }")
        variants: { only: { policy: \(policy) } }
        """
      let spec = try SpecLoader.load(text: text, file: "bench", registry: registry).spec
      let timing = try await BenchTiming.measure(warmup: 0, repeats: 3) {
        let result = try await ExperimentRunner(jobs: jobs).run(spec)
        _ = ExperimentSummary(result)
      }
      return timing.bestRate(Double(horizon * replications))
    }
  }
}

/// Figures are meaningless from a debug build; say so rather than print them silently.
func warnIfDebug() {
  #if DEBUG
    FileHandle.standardError.write(
      Data("warning: this is a debug build; run `swift run -c release adlab bench …` for real figures\n".utf8))
  #endif
}
