import Foundation

/// The result of re-running a bundle.
public struct VerificationReport: Sendable {
  public var bundle: String
  public var expectedDigest: String
  public var actualDigest: String
  /// Files whose sha256 differs from the manifest's (empty when identical).
  public var differingFiles: [String]
  public var identical: Bool { expectedDigest == actualDigest && differingFiles.isEmpty }
}

/// Re-runs a bundle (or re-trains a training bundle) from its own resolved.json and compares every file with its manifest.
public enum BundleVerifier {
  public static func verify(bundle: String, registry: PluginRegistry, runner: ExperimentRunner) async throws -> VerificationReport {
    let manifest = try Manifest.read(bundle: bundle)
    let resolvedPath = "\(bundle)/resolved.json"
    guard let resolvedText = try? String(contentsOfFile: resolvedPath, encoding: .utf8),
          let specText = try? String(contentsOfFile: "\(bundle)/spec.yaml", encoding: .utf8)
    else { throw BundleError.notABundle(path: bundle, reason: "resolved.json or spec.yaml is missing") }
    let loaded = try SpecLoader.load(text: resolvedText, file: resolvedPath, registry: registry)
    let contents: BundleContents
    if manifest.format == BundleKind.evaluation.format {
      let result = try await OffPolicyRunner(jobs: runner.jobs).run(loaded.spec)
      contents = BundleContents(evaluation: result, specText: specText)
    } else if manifest.format == BundleKind.training.format {
      let result = try await OfflineTrainer(jobs: runner.jobs).run(loaded.spec)
      contents = BundleContents(training: result, specText: specText)
    } else {
      let result = try await runner.run(loaded.spec)
      contents = BundleContents(result: result, summary: ExperimentSummary(result), specText: specText)
    }
    let fresh = contents.fileHashes
    let differing = Set(fresh.keys).union(manifest.files.keys).filter { fresh[$0] != manifest.files[$0] }.sorted()
    return VerificationReport(
      bundle: bundle, expectedDigest: manifest.digest, actualDigest: contents.digest, differingFiles: differing)
  }
}
