import AdLabBench
import AdLabCore
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab bench process`: decisions per second through the process-plugin pipe, for the trivial Python policy
  /// (python/examples/first_ad.py) on the 10-ad Bernoulli environment, at batch 100 and 1,000.
  struct BenchProcess: RegistryCommand {
    static let configuration = CommandConfiguration(
      commandName: "process",
      abstract: "Measure decisions per second through a process plugin's pipe (build with -c release).",
      discussion: """
        Runs the full loop (environment, policy, reward, regret, statistics) on `bernoulli` with 10 ads, one job, \
        with the policy in a Python child (python/examples/first_ad.py: a fixed answer, so the figure is the \
        protocol's cost: encoding, the pipe both ways, Python's framing) and, for reference, the built-in `random`. \
        Best of three runs.
        """)

    @Option(help: "Decisions per run.")
    var horizon: Int = 1_000_000

    @Option(help: "Batch sizes to measure (comma-separated).")
    var batches: String = "100,1000"

    func run(registry: PluginRegistry) async throws {
      warnIfDebug()
      let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../python/examples/first_ad.py").standardized.path
      guard FileManager.default.fileExists(atPath: script) else {
        throw ValidationError("cannot find \(script): run from a checkout of AdLab")
      }
      let process = "{ plugin: process, params: { command: [python3, \(script)] } }"
      var table = BenchTable(label: "batch", figures: ["process (M dec/s)", "built-in random (M dec/s)"])
      for batch in batches.split(separator: ",").compactMap({ Int($0) }) {
        let piped = try await measure(policy: process, batch: batch, registry: registry)
        let builtin = try await measure(policy: "random", batch: batch, registry: registry)
        table.add([String(batch), BenchFormat.millions(piped), BenchFormat.millions(builtin)])
      }
      table.print()
    }

    /// Decisions per second of a one-job run of `policy`, best of three.
    func measure(policy: String, batch: Int, registry: PluginRegistry) async throws -> Double {
      let text = """
        name: bench-process
        seed: 1
        replications: 1
        horizon: \(horizon)
        batch: \(batch)
        environment: { plugin: bernoulli, params: { arms: 10 } }
        variants: { only: { policy: \(policy) } }
        """
      let spec = try SpecLoader.load(text: text, file: "bench", registry: registry).spec
      let timing = try await BenchTiming.measure(warmup: 0, repeats: 3) {
        _ = ExperimentSummary(try await ExperimentRunner(jobs: 1).run(spec))
      }
      return timing.bestRate(Double(horizon))
    }
  }
}
