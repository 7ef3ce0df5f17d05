import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// A bundle edited after it was written no longer matches its own manifest, and says how.
struct BundleIntegrityTests {
  /// A fresh bundle of the runner tests' spec in its own folder (removed by the caller).
  static func bundle() async throws -> (root: String, path: String) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("adlab-integrity-\(UUID().uuidString)")
      .path
    let loaded = try RunnerTests.spec()
    let contents = try await RunnerTests.contents(loaded, jobs: 2)
    let outcome = try BundleWriter(root: root).save(
      contents, spec: loaded.spec, provenance: .current(commandLine: ["test"], jobs: 2), wallSeconds: 0)
    guard case .created(let path) = outcome else { throw BundleError.notABundle(path: root, reason: "\(outcome)") }
    return (root, path)
  }

  static func edit(_ file: String, _ change: (String) -> String) throws {
    let text = try String(contentsOfFile: file, encoding: .utf8)
    try Data(change(text).utf8).write(to: URL(fileURLWithPath: file))
  }

  @Test func aFreshBundleIsIntact() async throws {
    let (root, path) = try await Self.bundle()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let report = try BundleIntegrity.check(bundle: path)
    #expect(report.isIntact, "\(report.problems)")
  }

  @Test func oneAppendedByteIsAChangedFile() async throws {
    let (root, path) = try await Self.bundle()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(path)/series.csv"))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data([0x0A]))
    try handle.close()
    let report = try BundleIntegrity.check(bundle: path)
    #expect(report.changed == ["series.csv"])
    #expect(report.missing.isEmpty && report.extra.isEmpty && report.digestMismatch == nil)
    #expect(report.problems == ["changed (sha256 differs from the manifest): series.csv"])
  }

  @Test func deletedAndAddedFilesAreNamed() async throws {
    let (root, path) = try await Self.bundle()
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileManager.default.removeItem(atPath: "\(path)/summary.md")
    try FileManager.default.createDirectory(atPath: "\(path)/notes", withIntermediateDirectories: true)
    try Data("mine\n".utf8).write(to: URL(fileURLWithPath: "\(path)/notes/extra.txt"))
    let report = try BundleIntegrity.check(bundle: path)
    #expect(report.missing == ["summary.md"])
    #expect(report.extra == ["notes/extra.txt"])
    #expect(report.changed.isEmpty && report.digestMismatch == nil)
  }

  @Test func anEditedDigestDisagreesWithTheFileList() async throws {
    let (root, path) = try await Self.bundle()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let recorded = try Manifest.read(bundle: path).digest
    let forged = String(repeating: "f", count: 64)
    try Self.edit("\(path)/manifest.json") { $0.replacingOccurrences(of: recorded, with: forged) }
    let report = try BundleIntegrity.check(bundle: path)
    #expect(report.digestMismatch?.recorded == forged)
    #expect(report.digestMismatch?.computed == recorded)
    #expect(report.changed.isEmpty)
  }

  @Test func anEditedManifestIsCaught() async throws {
    let (root, path) = try await Self.bundle()
    defer { try? FileManager.default.removeItem(atPath: root) }
    // A listed hash edited: the file no longer matches it, and the digest no longer matches the list.
    let manifest = try Manifest.read(bundle: path)
    let summaryHash = try #require(manifest.files["summary.json"])
    try Self.edit("\(path)/manifest.json") {
      $0.replacingOccurrences(of: summaryHash, with: String(repeating: "0", count: 64))
    }
    var report = try BundleIntegrity.check(bundle: path)
    #expect(report.changed == ["summary.json"])
    #expect(report.digestMismatch != nil)

    // A fact the manifest repeats from resolved.json, edited.
    let (root2, path2) = try await Self.bundle()
    defer { try? FileManager.default.removeItem(atPath: root2) }
    try Self.edit("\(path2)/manifest.json") { $0.replacingOccurrences(of: "\"seed\": 11", with: "\"seed\": 12") }
    report = try BundleIntegrity.check(bundle: path2)
    #expect(report.manifestConflicts == ["seed is 12, but resolved.json says 11"])
  }
}
