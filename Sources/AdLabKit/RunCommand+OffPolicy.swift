import AdLabCore
import Foundation

extension AdLabCommand.Run {
  /// The off-policy branch of `adlab run`: a spec whose environment replays logs is evaluated, not simulated.
  /// Evaluates, writes the bundle and prints like a simulated run.
  static func evaluateLogs(_ loaded: LoadedSpec, out: String, jobs: Int, format: OutputFormat) async throws {
    let started = Date()
    let result = try await OffPolicyRunner(jobs: jobs).run(loaded.spec)
    let contents = BundleContents(evaluation: result, specText: loaded.sourceText)
    let provenance = Provenance.current(commandLine: CommandLine.arguments, jobs: jobs)
    let outcome = try BundleWriter(root: out).save(
      contents, spec: loaded.spec, provenance: provenance, wallSeconds: Date().timeIntervalSince(started),
      kind: .evaluation)
    outcome.report(contents, summaryFile: "summary.md", format: format)
  }
}
