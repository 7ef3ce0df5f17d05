import Foundation
import Testing

/// The source revision in a manifest is the one the binary was built from, fixed at build time.
struct ProvenanceCLITests {
  /// `git rev-parse HEAD` of the repository these tests (and so the binary) were built from, or nil outside git.
  static func head() -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", CLITests.repository.path, "rev-parse", "HEAD"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return process.terminationStatus == 0 && !text.isEmpty ? text : nil
  }

  /// Run from a folder outside any checkout, so a run-time `git rev-parse` in the current folder would find nothing.
  @Test(.enabled(if: head() != nil, "the repository is not a git checkout: nothing to compare the revision with"))
  func manifestRecordsTheRevisionTheBinaryWasBuiltFrom() throws {
    let folder = CLITests().temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try Data(CLITests.tinySpec.utf8).write(to: URL(fileURLWithPath: "\(folder)/tiny.yaml"))
    let process = Process()
    process.executableURL = CLITests.binary
    process.arguments = ["run", "tiny.yaml", "--out", "out", "--format", "json"]
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let id = try #require(
      try FileManager.default.contentsOfDirectory(atPath: "\(folder)/out/tiny").first { !$0.hasPrefix(".") })
    let manifest = try String(contentsOfFile: "\(folder)/out/tiny/\(id)/manifest.json", encoding: .utf8)
    let revision = try #require(
      manifest.split(separator: "\"").drop { $0 != "source_revision" }.dropFirst(2).first.map(String.init))
    // "-dirty" says the tree had uncommitted changes when the binary was built; the commit is HEAD's.
    #expect(revision.replacingOccurrences(of: "-dirty", with: "") == Self.head(), "manifest says \(revision)")
  }
}
