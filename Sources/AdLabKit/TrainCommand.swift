import AdLabCore
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab train SPEC`: fits every variant's model offline on logged data and writes a training bundle.
  struct Train: RegistryCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Fit each variant's interest model offline and write a training bundle (AUC, log loss, calibration, checkpoints).",
      discussion: """
        Logs the spec's `training.examples` impressions of its environment with a uniform-random policy, holds out the \
        last `training.validation` share, and trains every variant's model with early stopping on validation log loss. \
        The bundle goes to OUT/<name>/train-<id>, with the same never-overwrite rules as run bundles; \
        `adlab verify` re-trains it and compares digests.
        """)

    @Argument(help: "The experiment spec (YAML); every variant needs a model.")
    var spec: String

    @Option(
      name: .customLong("set"),
      help: ArgumentHelp("Override a spec key, e.g. --set training.examples=5000.", valueName: "key.path=value"))
    var overrides: [String] = []

    @OptionGroup var options: RunOptions

    @Option(name: .long, help: "Folder that receives bundles.")
    var out: String = "results"

    @Option(name: .long, help: "Output format: text (the metrics table) or json (bundle path and outcome).")
    var format: OutputFormat = .text

    func run(registry: PluginRegistry) async throws {
      try await options.memory.apply { try await execute(registry: registry) }
    }

    func execute(registry: PluginRegistry) async throws {
      let loaded = try SpecLoader.load(path: spec, overrides: overrides, registry: registry)
      try loaded.spec.checkMemory(jobs: options.jobs, training: true)
      let started = Date()
      let writer = BundleWriter(root: out)
      let resume = try ResumeStore(
        bundle: writer.path(for: loaded.spec, kind: .training), spec: loaded.spec, kind: .training)
      StaleFolders.note(under: out).map(printToStandardError)
      var trainer = OfflineTrainer(jobs: options.jobs)
      trainer.stop = InterruptHandler.installed.stop
      let result = try await trainer.run(loaded.spec, resume: resume)
      let contents = BundleContents(training: result, specText: loaded.sourceText)
      let provenance = Provenance.current(commandLine: CommandLine.arguments, jobs: options.jobs)
      let outcome = try writer.save(
        contents, spec: loaded.spec, provenance: provenance, wallSeconds: Date().timeIntervalSince(started),
        kind: .training)
      resume.finish()
      outcome.report(contents, summaryFile: "metrics.md", format: format)
    }
  }
}

extension BundleOutcome {
  /// The bundle's path and a sentence for people.
  func describe() -> (path: String, note: String) {
    switch self {
    case .created(let p): return (p, "bundle written to \(p)")
    case .identical(let p): return (p, "identical to the existing bundle \(p) (kept; nothing written)")
    case .differs(let existing, let new, let changed):
      return (
        new,
        "differs from the existing bundle \(existing) in \(changed.joined(separator: ", ")); new bundle kept at \(new)"
      )
    }
  }

  /// Prints what a command that wrote a bundle reports: the bundle's `summaryFile` for people (and the outcome on
  /// stderr), or the outcome as JSON for programs.
  func report(_ contents: BundleContents, summaryFile: String, format: OutputFormat) {
    let (path, note) = describe()
    switch format {
    case .text:
      print(String(decoding: contents.files[summaryFile] ?? Data(), as: UTF8.self))
      FileHandle.standardError.write(Data((note + "\n").utf8))
    case .json:
      print(json(path: path, digest: contents.digest, note: note).rendered(), terminator: "")
    }
  }

  func json(path: String, digest: String, note: String) -> JSONValue {
    let outcome: String
    switch self {
    case .created: outcome = "created"
    case .identical: outcome = "identical"
    case .differs: outcome = "differs"
    }
    return .object([
      ("bundle", .string(path)), ("digest", .string(digest)), ("outcome", .string(outcome)), ("note", .string(note)),
    ])
  }
}
