import AdLabTensor
import Foundation

/// The result of verifying a bundle: first its files against its manifest, then a re-run against the manifest.
public struct VerificationReport: Sendable {
  public var bundle: String
  /// The files on disk against the manifest; when not intact, nothing was re-run.
  public var integrity: IntegrityReport
  public var expectedDigest: String
  /// The re-run's digest (nil when the files on disk already failed to match the manifest).
  public var actualDigest: String?
  /// Files whose re-run sha256 differs from the manifest's (empty when identical).
  public var differingFiles: [String]
  public var identical: Bool { integrity.isIntact && expectedDigest == actualDigest && differingFiles.isEmpty }
}

/// Checks a bundle's files against its own manifest, then re-runs it (or re-trains a training bundle) from its
/// resolved.json and compares every file with the manifest.
public enum BundleVerifier {
  /// Re-runs under the bundle's recorded kernel class (task-local, whatever `--kernels` says), so a
  /// `portable` bundle verifies as `portable` on an AVX-512 machine; throws
  /// ``BundleError/kernelsUnavailable(path:kernels:reason:)`` when this CPU cannot run that class.
  /// A bundle whose files do not match its manifest is reported as is, without a re-run: a re-run would only
  /// confirm the manifest, not the files someone would read.
  public static func verify(bundle: String, registry: PluginRegistry, runner: ExperimentRunner) async throws
    -> VerificationReport
  {
    let manifest = try Manifest.read(bundle: bundle)
    let integrity = try BundleIntegrity.check(bundle: bundle)
    guard integrity.isIntact else {
      return VerificationReport(
        bundle: bundle, integrity: integrity, expectedDigest: manifest.digest, actualDigest: nil, differingFiles: [])
    }
    guard let kernels = KernelClass(rawValue: manifest.kernels) else {
      throw BundleError.kernelsUnavailable(
        path: bundle, kernels: manifest.kernels, reason: "this build of AdLab does not know that class")
    }
    guard kernels.isSupported else {
      let supported = KernelClass.supported.map(\.rawValue).joined(separator: ", ")
      throw BundleError.kernelsUnavailable(
        path: bundle, kernels: manifest.kernels,
        reason:
          "this CPU cannot run it (it supports: \(supported)); verify it on a CPU with the instructions of \(kernels)")
    }
    return try await KernelClass.withClass(kernels) {
      try await rerun(bundle: bundle, manifest: manifest, registry: registry, runner: runner)
    }
  }

  private static func rerun(
    bundle: String, manifest: Manifest, registry: PluginRegistry, runner: ExperimentRunner
  ) async throws -> VerificationReport {
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
      bundle: bundle, integrity: IntegrityReport(bundle: bundle), expectedDigest: manifest.digest,
      actualDigest: contents.digest, differingFiles: differing)
  }
}
