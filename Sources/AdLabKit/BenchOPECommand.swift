import AdLabCore
import AdLabTensor
import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension AdLabCommand {
  /// `adlab bench ope`: logged traffic at scale: read + IPW/SNIPW on a generated CSV (no cache, first run writing
  /// the columnar cache, from the cache), every estimator with the bootstrap in bounded memory, and the pandas +
  /// numpy peer doing the same read and IPW in the same run when installed.
  struct BenchOPE: RegistryCommand {
    static let configuration = CommandConfiguration(
      commandName: "ope",
      abstract: "Measure reading logged traffic and off-policy estimators at scale (build with -c release).",
      discussion: """
        For each --rounds N: writes a seeded generic-schema CSV of N rounds (10 actions logged uniformly, 5 context \
        columns, 1 category column; about 53 bytes a round) to a temporary folder, then times, each with its own peak \
        resident memory (VmHWM): read + IPW/SNIPW of an ε-greedy policy straight from the CSV; the first run, which \
        also writes the columnar cache; a run from the cache; and `adlab run`'s evaluation with every estimator \
        (logistic reward model, 3 folds, 1 epoch) and --bootstrap Poisson resamples. Then Tests/Peers/ope_peer.py \
        (pandas.read_csv + the same IPW in numpy) on the same file, when pandas is installed ($ADLAB_PYTHON).
        """)

    @OptionGroup var kernelOptions: KernelOptions

    @Option(help: "Logged rounds (repeat for several sizes).")
    var rounds: [Int] = [1_000_000]

    @Option(help: "Bootstrap resamples of the every-estimator run (0 skips that run).")
    var bootstrap: Int = 200

    @Option(help: "Threads parsing the CSV (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Skip the pandas + numpy peer.")
    var noPeers = false

    func validate() throws {
      guard rounds.allSatisfy({ (1...500_000_000).contains($0) }) else {
        throw ValidationError("--rounds must be in 1...500000000")
      }
      guard (0...100_000).contains(bootstrap) else { throw ValidationError("--bootstrap must be in 0...100000") }
      guard (1...1_024).contains(jobs) else { throw ValidationError("--jobs must be in 1...1024") }
    }

    func run(registry: PluginRegistry) async throws {
      warnIfDebug()
      print("CPU: \(Provenance.cpuModel()); CSV parsed on \(jobs) threads")
      for n in rounds { try await measure(rounds: n, registry: registry) }
    }

    private func measure(rounds n: Int, registry: PluginRegistry) async throws {
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("adlab-bench-ope-\(getpid())-\(n)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: folder) }
      let csv = folder.appendingPathComponent("logs.csv").path
      // The whole measurement, the every-estimator run included, uses a cache root of its own, removed at the end.
      let cache = LogCache.folder(environment: ["ADLAB_CACHE": folder.path])
      let previous = ProcessInfo.processInfo.environment["ADLAB_CACHE"]
      setenv("ADLAB_CACHE", folder.path, 1)
      defer {
        if let previous { setenv("ADLAB_CACHE", previous, 1) } else { unsetenv("ADLAB_CACHE") }
      }

      var start = Date()
      try LoggedCSVGenerator.write(rounds: n, to: csv, key: StreamKey(seed: 1).child("bench-ope"))
      let generated = Date().timeIntervalSince(start)
      // An existing log, not one being written: the cache may remember its sha256 (see FileDigest).
      try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: csv)
      let megabytes = Double((try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0) / 1e6
      print(String(format: "\n%d logged rounds, %.1f MB CSV (generated in %.2f s)", n, megabytes, generated))

      func line(_ label: String, _ pass: OPEReadBenchmark.Pass, peak: Double?) {
        print(
          label.padding(toLength: 34, withPad: " ", startingAt: 0)
            + String(
              format: "%8.3f s %8.0f MB/s %7.2f M rounds/s   peak %6.0f MB   IPW %.5f  SNIPW %.5f",
              pass.seconds, megabytes / pass.seconds, Double(pass.rounds) / pass.seconds / 1e6, peak ?? .nan, pass.ipw,
              pass.snipw))
      }
      OPEReadBenchmark.resetPeakMemory()
      let cold = try OPEReadBenchmark.csvPass(path: csv, jobs: jobs)
      line("CSV → IPW/SNIPW (no cache)", cold, peak: OPEReadBenchmark.peakMemoryMB())
      OPEReadBenchmark.resetPeakMemory()
      let first = try OPEReadBenchmark.cachedPass(path: csv, cache: cache, jobs: jobs)
      line("first run (CSV → cache → IPW)", first, peak: OPEReadBenchmark.peakMemoryMB())
      OPEReadBenchmark.resetPeakMemory()
      var warm = try OPEReadBenchmark.cachedPass(path: csv, cache: cache, jobs: jobs)
      for _ in 0..<2 {
        let again = try OPEReadBenchmark.cachedPass(path: csv, cache: cache, jobs: jobs)
        if again.seconds < warm.seconds { warm = again }
      }
      line("from the cache (best of 3)", warm, peak: OPEReadBenchmark.peakMemoryMB())

      if bootstrap > 0 {
        let spec = try SpecLoader.load(
          text: """
            name: bench-ope
            seed: 1
            horizon: 1
            batch: 1
            environment: { plugin: logged, params: { dataset: csv, path: "\(csv)" } }
            variants: { greedy: { policy: { plugin: epsilon-greedy-ranking, params: { epsilon: 0.2, scores: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] } } } }
            evaluation:
              estimators: [dm, ipw, snipw, dr, sndr, switch-dr, replay]
              model: { plugin: logistic, params: { crosses: [action*context] } }
              folds: 3
              epochs: 1
              batch: 1024
              bootstrap: \(bootstrap)
            """, file: "bench-ope.yaml", registry: registry
        ).spec
        OPEReadBenchmark.resetPeakMemory()
        start = Date()
        let result = try await OffPolicyRunner().run(spec)
        let seconds = Date().timeIntervalSince(start)
        let estimates = result.segments.first?.variants.first?.estimates ?? []
        print(
          "every estimator, \(bootstrap) bootstrap".padding(toLength: 34, withPad: " ", startingAt: 0)
            + String(
              format: "%8.3f s %17.2f M rounds/s   peak %6.0f MB   ", seconds, Double(n) / seconds / 1e6,
              OPEReadBenchmark.peakMemoryMB() ?? .nan)
            + estimates.map { $0.estimator.rawValue + " " + String(format: "%.5f", $0.value) }.joined(separator: "  "))
      }

      guard !noPeers else { return }
      var peer: [String: String] = [:]
      for row in runPeerScript("ope_peer.py", [csv]).split(separator: "\n") {
        let parts = row.split(separator: " ", maxSplits: 1)
        if parts.count == 2 { peer[String(parts[0])] = String(parts[1]) }
      }
      guard let timing = peer["read_ipw"]?.split(separator: " "), let seconds = timing.first.flatMap({ Double($0) })
      else {
        print(
          "peer: pandas is not installed for python3 (pip install pandas, or point ADLAB_PYTHON at a Python that has it)"
        )
        return
      }
      print(
        "pandas + numpy (read_csv + IPW)".padding(toLength: 34, withPad: " ", startingAt: 0)
          + String(
            format: "%8.3f s %8.0f MB/s %7.2f M rounds/s   peak %6.0f MB   ", seconds, megabytes / seconds,
            Double(n) / seconds / 1e6, Double(peer["peak_mb"] ?? "") ?? .nan)
          + "IPW \(peer["ipw"] ?? "?")  SNIPW \(peer["snipw"] ?? "?")  (\(timing.dropFirst().joined(separator: " ")))")
      print(
        String(
          format: "AdLab vs pandas + numpy: %.1f× from the CSV, %.1f× on a first run, %.1f× from the cache",
          seconds / cold.seconds, seconds / first.seconds, seconds / warm.seconds))
    }
  }
}
