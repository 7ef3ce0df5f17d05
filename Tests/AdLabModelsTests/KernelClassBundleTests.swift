import AdLabBuiltins
import AdLabCore
import AdLabTensor
import Foundation
import Testing

/// Bundles under kernel classes: identical for any `jobs` within a class, the class in the manifest and
/// (when not portable) the digest, and `verify` re-running with the bundle's class. A DeepFM training
/// bundle is used because its MLP runs through GEMM, so the class changes its numbers.
struct KernelClassBundleTests {
  static let text = """
    name: kernel-class-test
    seed: 5
    horizon: 1000
    batch: 100
    environment: \(ModelTestSupport.linearMarket)
    variants:
      deepfm: { policy: random, model: { plugin: deepfm, params: { buckets: 256, embedding: 4, hidden: [16] } } }
    training: { examples: 1500, validation: 0.25, epochs: 1, patience: 1, batch: 64 }
    """

  static func train(jobs: Int) async throws -> (ExperimentSpec, BundleContents) {
    let spec = try SpecLoader.load(text: text, file: "kernel-class-test.yaml", registry: .builtin).spec
    let result = try await OfflineTrainer(jobs: jobs).run(spec)
    return (spec, BundleContents(training: result, specText: text))
  }

  @Test(arguments: KernelClass.supported)
  func bundleIsIdenticalForAnyJobsUnderEachClass(_ kernels: KernelClass) async throws {
    let one = try await KernelClass.withClass(kernels) { try await Self.train(jobs: 1).1 }
    let two = try await KernelClass.withClass(kernels) { try await Self.train(jobs: 2).1 }
    #expect(one.kernels == kernels)
    #expect(one.files == two.files)
    #expect(one.digest == two.digest)
    guard kernels != .portable else { return }
    // The class really ran (FMA changes the model's last bits) and is part of the digest.
    let portable = try await KernelClass.withClass(.portable) { try await Self.train(jobs: 1).1 }
    #expect(portable.files != one.files)
    var relabelled = one
    relabelled.kernels = .portable
    #expect(relabelled.digest != one.digest)
  }

  /// A portable bundle's digest is the plain `sha256sum`-style digest it had before classes existed.
  @Test func portableDigestHasNoKernelsLine() {
    var contents = BundleContents(files: ["a.txt": Data("x".utf8)])
    contents.kernels = .portable
    let hash = contents.fileHashes["a.txt"] ?? ""
    var plain = BundleContents(files: ["lines": Data("\(hash)  a.txt\n".utf8)])
    plain.kernels = .portable
    #expect(contents.digest == plain.fileHashes["lines"])
  }

  /// `verify` of a portable bundle on a machine whose best class is an FMA class re-runs as portable
  /// and matches; the manifest records the class.
  @Test func verifyReRunsWithTheBundlesClass() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("adlab-kernels-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let (spec, contents) = try await KernelClass.withClass(.portable) { try await Self.train(jobs: 2) }
    let outcome = try BundleWriter(root: root).save(
      contents, spec: spec, provenance: Provenance.current(commandLine: ["test"], jobs: 2), wallSeconds: 0,
      kind: .training)
    guard case .created(let path) = outcome else {
      Issue.record("bundle not created: \(outcome)")
      return
    }
    #expect(try Manifest.read(bundle: path).kernels == "portable")
    let report = try await KernelClass.withClass(KernelClass.best) {
      try await BundleVerifier.verify(bundle: path, registry: .builtin, runner: ExperimentRunner(jobs: 2))
    }
    #expect(report.identical, "differs: \(report.differingFiles)")

    // A copy claiming a class this build does not know cannot be verified, with a plain message.
    let other = try Self.relabelledCopy(of: path)
    do {
      _ = try await BundleVerifier.verify(bundle: other, registry: .builtin, runner: ExperimentRunner(jobs: 2))
      Issue.record("verify of an unknown kernel class did not fail")
    } catch let error as BundleError {
      #expect(error.description.contains("computed with kernel class neon-sve9"))
    }
  }

  /// `diff` lists a kernel-class change as a provenance change (a run bundle: diff reads summary.json).
  @Test func diffListsAKernelClassChange() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("adlab-kernels-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let text = """
      name: kernel-class-diff
      seed: 3
      replications: 2
      horizon: 500
      batch: 50
      environment: { plugin: bernoulli, params: { arms: 3 } }
      variants:
        ucb: { policy: ucb1 }
        ts: { policy: thompson }
      """
    let loaded = try SpecLoader.load(text: text, file: "kernel-class-diff.yaml", registry: .builtin)
    let result = try await ExperimentRunner(jobs: 1).run(loaded.spec)
    let contents = BundleContents(result: result, summary: ExperimentSummary(result), specText: text)
    let outcome = try BundleWriter(root: root).save(
      contents, spec: loaded.spec, provenance: Provenance.current(commandLine: ["test"], jobs: 1), wallSeconds: 0)
    guard case .created(let path) = outcome else {
      Issue.record("bundle not created: \(outcome)")
      return
    }
    let diff = try BundleDiff(a: path, b: try Self.relabelledCopy(of: path))
    #expect(diff.provenanceChanges.contains { $0.path == "kernels" && $0.old == "portable" && $0.new == "neon-sve9" })
    #expect(try BundleDiff(a: path, b: path).provenanceChanges.isEmpty)
  }

  /// A copy of the bundle whose manifest names the class `neon-sve9`.
  static func relabelledCopy(of path: String) throws -> String {
    let other = path + "-relabelled"
    try FileManager.default.copyItem(atPath: path, toPath: other)
    let manifestPath = "\(other)/manifest.json"
    let text = try String(contentsOfFile: manifestPath, encoding: .utf8)
    // The digest as a machine of that class would have recorded it, so the copy passes the file check.
    let manifest = try Manifest.read(bundle: other)
    let relabelled = text.replacingOccurrences(of: "\"kernels\": \"portable\"", with: "\"kernels\": \"neon-sve9\"")
      .replacingOccurrences(
        of: manifest.digest, with: BundleContents.digest(of: manifest.files, kernelsName: "neon-sve9"))
    #expect(relabelled != text)
    try relabelled.write(toFile: manifestPath, atomically: true, encoding: .utf8)
    return other
  }
}
