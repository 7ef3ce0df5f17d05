import AdLabCore
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab run SPEC`: runs every variant and replication, then writes the result bundle.
  struct Run: RegistryCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run an experiment and write its result bundle.",
      discussion: """
        The bundle goes to OUT/<name>/<id>, where id is the hash of the resolved spec. A run of a spec that \
        already has a bundle keeps the old one and says whether the new run is identical.
        """)

    @Argument(help: "The experiment spec (YAML).")
    var spec: String

    @Option(
      name: .customLong("set"),
      help: ArgumentHelp(
        "Override a spec key, e.g. --set horizon=20000 or --set variants.ucb.policy.params.c=1.",
        valueName: "key.path=value"))
    var overrides: [String] = []

    @OptionGroup var options: RunOptions

    @Option(name: .long, help: "Folder that receives bundles.")
    var out: String = "results"

    @Option(name: .long, help: "Output format: text (the summary) or json (bundle path and outcome).")
    var format: OutputFormat = .text

    func run(registry: PluginRegistry) async throws {
      try await options.memory.apply { try await execute(registry: registry) }
    }

    func execute(registry: PluginRegistry) async throws {
      let loaded = try SpecLoader.load(path: spec, overrides: overrides, registry: registry)
      if loaded.spec.sweep != nil {
        FileHandle.standardError.write(
          Data(
            "note: \(spec) has a sweep: block; `adlab run` runs its base experiment, `adlab sweep` runs the sweep\n"
              .utf8))
      }
      if OffPolicyRunner.isLogged(loaded.spec) {
        try await Self.evaluateLogs(loaded, out: out, jobs: options.jobs, format: format)
        return
      }
      if loaded.spec.evaluation != nil {
        FileHandle.standardError.write(
          Data(
            "note: \(spec) has an evaluation: block, which applies only to a `logged` environment; it is ignored\n".utf8
          ))
      }
      try loaded.spec.checkMemory(jobs: options.jobs)
      let progress = Progress()
      let started = Date()
      let writer = BundleWriter(root: out)
      let resume = try ResumeStore(bundle: writer.path(for: loaded.spec), spec: loaded.spec, kind: .run)
      StaleFolders.note(under: out).map(printToStandardError)
      var runner = options.runner(progress: progress)
      runner.stop = InterruptHandler.installed.stop
      runner.notice = {
        progress.finish()
        printToStandardError($0)
      }
      let result = try await runner.run(loaded.spec, resume: resume)
      progress.finish()
      let summary = ExperimentSummary(result)
      let contents = BundleContents(result: result, summary: summary, specText: loaded.sourceText)
      let provenance = Provenance.current(commandLine: CommandLine.arguments, jobs: options.jobs)
      let outcome = try writer.save(
        contents, spec: loaded.spec, provenance: provenance, wallSeconds: Date().timeIntervalSince(started))
      resume.finish()

      outcome.report(contents, summaryFile: "summary.md", format: format)
    }
  }

  /// `adlab validate SPEC`: checks a spec without running it.
  struct Validate: RegistryCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a spec and print its resolved form (every default filled in).")

    @Argument(help: "The experiment spec (YAML).")
    var spec: String

    @Option(
      name: .customLong("set"),
      help: ArgumentHelp("Override a spec key (a sweeping value adds a sweep axis).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Flag(name: .long, help: "Print nothing when the spec is valid.")
    var quiet = false

    @OptionGroup var memory: MemoryOption

    func run(registry: PluginRegistry) async throws {
      try await memory.apply { try await execute(registry: registry) }
    }

    func execute(registry: PluginRegistry) async throws {
      let loaded = try SpecLoader.load(path: spec, overrides: overrides, registry: registry, allowSweeps: true)
      // A sweep is valid when every one of its cells is.
      let plan = loaded.spec.sweep == nil ? nil : try SweepPlan.expand(loaded, registry: registry)
      if !quiet {
        print(
          "\(spec): valid; \(loaded.spec.variants.count) variants × \(loaded.spec.replications) replications. Resolved:"
        )
        print(loaded.spec.resolvedJSON.rendered(), terminator: "")
        if let plan {
          print(
            "sweep: \(plan.kind), \(plan.cells.count) valid cells over \(plan.parameters.joined(separator: ", ")) (run it with `adlab sweep`)"
          )
        }
      }
    }
  }

  /// `adlab verify BUNDLE`: checks the files against the manifest, then re-runs the bundle and compares digests.
  struct Verify: RegistryCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Check a bundle's files against its manifest, then re-run it from its resolved spec and check that every file is bit-identical.",
      discussion: """
        Exit 1 when a file on disk was changed, removed or added since the bundle was written, when the manifest's \
        digest does not match its file list (nothing is re-run then), or when the re-run differs.
        """)

    @Argument(help: "A bundle folder, e.g. results/quickstart/0123456789ab.")
    var bundle: String

    @OptionGroup var options: RunOptions

    func run(registry: PluginRegistry) async throws {
      try await options.memory.apply { try await execute(registry: registry) }
    }

    func execute(registry: PluginRegistry) async throws {
      let progress = Progress()
      let report = try await BundleVerifier.verify(
        bundle: bundle, registry: registry, runner: options.runner(progress: progress))
      progress.finish()
      guard report.integrity.isIntact else {
        print("NOT intact: \(bundle) does not match its own manifest (not re-run)")
        for line in report.integrity.problems { print("  \(line)") }
        throw ExitCode(1)
      }
      if report.identical {
        print("identical: \(bundle) (digest \(report.expectedDigest))")
      } else {
        print("NOT identical: \(bundle)")
        print("  expected digest \(report.expectedDigest)")
        print("  actual digest   \(report.actualDigest ?? "none")")
        print("  differing files: \(report.differingFiles.joined(separator: ", "))")
        throw ExitCode(1)
      }
    }
  }
}
