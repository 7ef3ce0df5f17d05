import AdLabCore
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab sweep SPEC`: runs every cell of the spec's sweep (or one shard of them), one bundle per cell.
  struct Sweep: RegistryCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run a parameter sweep: one bundle per cell, plus sweep.csv, sweep.md and report.html.",
      discussion: """
        Cells come from the spec's sweep: block and from sweeping --set values (a=1,2,3, range(…), choice(…), \
        uniform(…), loguniform(…)). The sweep folder is OUT/<name>/sweep-<id>, where id hashes the plan; a \
        re-run skips cells that already have a complete bundle. With --shard I/N (or SLURM_ARRAY_TASK_ID, or \
        JOB_COMPLETION_INDEX with --shard-count) only cells k with k mod N = I run; `adlab merge` assembles the \
        shards. Exit code 1 when a cell failed.
        """)

    @Argument(help: "The experiment spec (YAML) with a sweep: block, or sweeping --set values.")
    var spec: String

    @Option(
      name: .customLong("set"),
      help: ArgumentHelp("Override a key, or sweep it: --set seed=1,2,3.", valueName: "key.path=value"))
    var overrides: [String] = []

    @OptionGroup var options: RunOptions

    @Option(name: .long, help: "Folder that receives sweeps (OUT/<name>/sweep-<id>).")
    var out: String = "results"

    @Option(name: .long, help: ArgumentHelp("Run only shard I of N (0-based), e.g. 0/4.", valueName: "I/N"))
    var shard: String?

    @Option(
      name: .long, help: "Number of shards when the index comes from JOB_COMPLETION_INDEX (Kubernetes Indexed Job).")
    var shardCount: Int?

    @Flag(name: .long, help: "Stop at the first failed cell.")
    var failFast = false

    @Flag(name: .long, help: "Print the cells and the folder without running anything.")
    var dryRun = false

    @Option(name: .long, help: "Output format: text or json (folder and counts).")
    var format: OutputFormat = .text

    func run(registry: PluginRegistry) async throws {
      try await options.memory.apply { try await execute(registry: registry) }
    }

    func execute(registry: PluginRegistry) async throws {
      let loaded = try SpecLoader.load(path: spec, overrides: overrides, registry: registry, allowSweeps: true)
      let plan = try SweepPlan.expand(loaded, registry: registry)
      let shard: Shard
      do {
        shard = try Shard.resolve(
          argument: self.shard, count: shardCount, environment: ProcessInfo.processInfo.environment)
      } catch {
        throw ValidationError(error.description)
      }
      let folder = SweepRunner.folder(root: out, plan: plan)
      let inShard = plan.cells.filter { shard.contains($0.index) }.count
      let text = format == .text
      if text {
        var line =
          "\(plan.kind) sweep of \(plan.name): \(plan.cells.count) cells over \(plan.parameters.joined(separator: ", ")) → \(folder)"
        if shard != .all { line += " (shard \(shard): \(inShard) cells)" }
        if plan.duplicates > 0 { line += "; \(plan.duplicates) duplicate cells dropped" }
        print(line)
      }
      if dryRun {
        for cell in plan.cells where shard.contains(cell.index) {
          print("  cell \(cell.index) \(cell.id): \(cell.label)")
        }
        return
      }
      for cell in plan.cells where shard.contains(cell.index) { try cell.loaded.spec.checkMemory(jobs: options.jobs) }
      let progress = Progress()
      let clock = SweepClock(total: inShard, progress: progress)
      StaleFolders.note(under: out).map(printToStandardError)
      var cellRunner = ExperimentRunner(jobs: options.jobs) { done, total in clock.jobs(done, total) }
      cellRunner.stop = InterruptHandler.installed.stop
      cellRunner.notice = {
        progress.finish()
        printToStandardError($0)
      }
      let runner = SweepRunner(
        runner: cellRunner,
        provenance: Provenance.current(commandLine: CommandLine.arguments, jobs: options.jobs), failFast: failFast)
      let report = try await runner.run(plan, folder: folder, shard: shard) { event in
        clock.handle(event, print: text)
      }
      progress.finish()
      if text {
        var line = "\(report.ran) ran, \(report.skipped) skipped (already finished), \(report.failed.count) failed"
        if report.notAttempted > 0 { line += ", \(report.notAttempted) not attempted (--fail-fast)" }
        print(line + ".")
        print(
          report.assembled
            ? "sweep.csv, sweep.md and report.html written to \(folder)"
            : "shard \(shard) done; when every shard is done: adlab merge \(folder)")
      } else {
        print(
          JSONValue.object([
            ("folder", .string(folder)), ("sweep_id", .string(plan.id)), ("cells", .int(plan.cells.count)),
            ("shard", .string(shard.description)), ("ran", .int(report.ran)), ("skipped", .int(report.skipped)),
            (
              "failed",
              .array(report.failed.map { .object([("id", .string($0.cell.id)), ("error", .string($0.message))]) })
            ),
            ("assembled", .bool(report.assembled)),
          ]).rendered(), terminator: "")
      }
      if !report.failed.isEmpty || report.notAttempted > 0 { throw ExitCode(1) }
    }
  }
}
