import AdLabCore
import Foundation

/// The off-policy branch of `adlab run`: a spec whose environment replays logs is evaluated, not simulated.
enum OffPolicyRun {
  /// Evaluates, writes the bundle and prints like `adlab run`.
  static func run(_ loaded: LoadedSpec, out: String, jobs: Int, format: OutputFormat) async throws {
    let started = Date()
    let result = try await OffPolicyRunner(jobs: jobs).run(loaded.spec)
    let contents = BundleContents(evaluation: result, specText: loaded.sourceText)
    let provenance = Provenance.current(commandLine: CommandLine.arguments, jobs: jobs)
    let outcome = try BundleWriter(root: out).save(
      contents, spec: loaded.spec, provenance: provenance, wallSeconds: Date().timeIntervalSince(started), kind: .evaluation)
    outcome.report(contents, summaryFile: "summary.md", format: format)
  }
}
