import Foundation
import Testing

/// `adlab verify`, `diff` and `report` on a bundle edited after it was written: verify names what changed and
/// exits 1 without re-running; diff and report still work but warn on stderr.
struct IntegrityCLITests {
  static func appendByte(to file: String) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data([0x0A]))
    try handle.close()
  }

  static func edit(_ file: String, _ change: (String) -> String) throws {
    let text = try String(contentsOfFile: file, encoding: .utf8)
    try Data(change(text).utf8).write(to: URL(fileURLWithPath: file))
  }

  /// A fresh copy of the tiny bundle for each tampering, so each check sees exactly one edit.
  func bundle(in folder: String) throws -> String {
    let cli = CLITests()
    let spec = "\(folder)/tiny.yaml"
    try Data(CLITests.tinySpec.utf8).write(to: URL(fileURLWithPath: spec))
    let run = try cli.adlab(["run", spec, "--out", "\(folder)/out", "--format", "json"])
    #expect(run.status == 0, "\(run.stderr)")
    let id = try #require(
      try FileManager.default.contentsOfDirectory(atPath: "\(folder)/out/tiny").first { !$0.hasPrefix(".") })
    return "\(folder)/out/tiny/\(id)"
  }

  func copy(_ bundle: String, as name: String, in folder: String) throws -> String {
    let target = "\(folder)/\(name)"
    try FileManager.default.copyItem(atPath: bundle, toPath: target)
    return target
  }

  @Test func verifyNamesEachEditAndExitsOne() throws {
    let cli = CLITests()
    let folder = cli.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let original = try bundle(in: folder)

    let appended = try copy(original, as: "appended", in: folder)
    try Self.appendByte(to: "\(appended)/series.csv")
    let deleted = try copy(original, as: "deleted", in: folder)
    try FileManager.default.removeItem(atPath: "\(deleted)/report.html")
    let added = try copy(original, as: "added", in: folder)
    try Data("x".utf8).write(to: URL(fileURLWithPath: "\(added)/notes.txt"))
    let digest = try copy(original, as: "digest", in: folder)
    let manifestText = try String(contentsOfFile: "\(original)/manifest.json", encoding: .utf8)
    let recorded = try #require(
      manifestText.split(separator: "\"").drop { $0 != "digest" }.dropFirst(2).first.map(String.init))
    try Self.edit("\(digest)/manifest.json") {
      $0.replacingOccurrences(of: recorded, with: String(repeating: "a", count: 64))
    }
    let manifest = try copy(original, as: "manifest", in: folder)
    try Self.edit("\(manifest)/manifest.json") {
      $0.replacingOccurrences(of: "\"replications\": 3", with: "\"replications\": 30")
    }
    let unreadable = try copy(original, as: "unreadable", in: folder)
    try Self.edit("\(unreadable)/manifest.json") { String($0.prefix(40)) }

    let expected: [(String, String)] = [
      (appended, "changed (sha256 differs from the manifest): series.csv"),
      (deleted, "missing (listed in the manifest, not on disk): report.html"),
      (added, "extra (on disk, not in the manifest): notes.txt"),
      (digest, "digest: the manifest records \(String(repeating: "a", count: 64)), its file list gives \(recorded)"),
      (manifest, "manifest: replications is 30, but resolved.json says 3"),
    ]
    for (path, line) in expected {
      let result = try cli.adlab(["verify", path])
      #expect(result.status == 1, "\(path): \(result.stdout) \(result.stderr)")
      #expect(
        result.stdout.hasPrefix("NOT intact: \(path) does not match its own manifest (not re-run)"), "\(result.stdout)")
      #expect(result.stdout.contains("\n  \(line)\n"), "\(path): \(result.stdout)")
    }
    let broken = try cli.adlab(["verify", unreadable])
    #expect(broken.status == 2 && broken.stderr.contains("is not a readable result bundle"), "\(broken.stderr)")
    let intact = try cli.adlab(["verify", original])
    #expect(intact.status == 0 && intact.stdout.hasPrefix("identical:"), "\(intact.stdout)")
  }

  @Test func diffAndReportWarnAboutAnEditedBundle() throws {
    let cli = CLITests()
    let folder = cli.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let original = try bundle(in: folder)
    let clean = try cli.adlab(["diff", original, original])
    #expect(clean.status == 0 && !clean.stderr.contains("warning"), "\(clean.stderr)")

    try Self.appendByte(to: "\(original)/series.csv")
    let warning = "warning: \(original) does not match its own manifest"
    let diff = try cli.adlab(["diff", original, original])
    #expect(diff.status == 0)
    #expect(
      diff.stderr.contains(warning) && diff.stderr.contains("changed (sha256 differs from the manifest): series.csv"),
      "\(diff.stderr)")
    let report = try cli.adlab(["report", original, "--to", "\(folder)/report.html"])
    #expect(report.status == 0 && report.stderr.contains(warning), "\(report.stderr)")
  }
}
