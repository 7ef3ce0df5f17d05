import Foundation
import Testing

/// `adlab run` on logged environments, as a user runs it: a clear error without the data, and reproducible
/// off-policy bundles.
struct OffPolicyCLITests {
  /// Runs `adlab` with `ADLAB_CACHE` pointing at `cache`.
  func adlab(_ arguments: [String], cache: String, path: String? = nil) throws -> (
    status: Int32, stdout: String, stderr: String
  ) {
    let process = Process()
    process.executableURL = CLITests.binary
    process.arguments = arguments
    process.currentDirectoryURL = CLITests.repository
    var environment = ProcessInfo.processInfo.environment
    environment["ADLAB_CACHE"] = cache
    if let path { environment["PATH"] = path }
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
  }

  @Test func obdWithoutTheDataSaysToFetchIt() throws {
    let folder = CLITests().temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let validate = try adlab(["validate", "--quiet", "experiments/obd-ope.yaml"], cache: folder)
    #expect(validate.status == 0)
    let run = try adlab(["run", "experiments/obd-ope.yaml", "--out", folder], cache: folder)
    #expect(run.status == 2)
    #expect(run.stderr.contains("run `adlab data fetch obd` first"), "\(run.stderr)")
  }

  /// Without python3 on the PATH the fetch fails with a message that says what to install, and leaves no folder.
  @Test func fetchWithoutPythonSaysWhatToInstall() throws {
    let folder = CLITests().temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let fetch = try adlab(["data", "fetch", "obd"], cache: folder, path: "/nonexistent-adlab-path")
    #expect(fetch.status == 2)
    #expect(fetch.stderr.contains("`python3 -m pip` is not available"), "\(fetch.stderr)")
    #expect(!FileManager.default.fileExists(atPath: "\(folder)/datasets/obd-0.5.7"))
    let unknown = try adlab(["data", "fetch", "criteo"], cache: folder)
    #expect(unknown.status == 2 && unknown.stderr.contains("known datasets: obd"))
  }

  @Test func syntheticEvaluationIsReproducibleForAnyJobs() throws {
    let folder = CLITests().temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let small = [
      "--set", "environment.params.rounds=1500", "--set", "evaluation.bootstrap=20", "--set",
      "variants.bts.policy.params.samples=300",
    ]
    let first = try adlab(
      ["run", "experiments/ope-synthetic.yaml", "--out", "\(folder)/a", "--jobs", "1", "--format", "json"] + small,
      cache: folder)
    let second = try adlab(
      ["run", "experiments/ope-synthetic.yaml", "--out", "\(folder)/b", "--jobs", "3", "--format", "json"] + small,
      cache: folder)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(second.status == 0, "\(second.stderr)")
    let digest = { (text: String) in
      text.split(separator: "\"").drop { $0 != "digest" }.dropFirst(2).first.map(String.init)
    }
    #expect(digest(first.stdout) != nil && digest(first.stdout) == digest(second.stdout))
    let bundle = first.stdout.split(separator: "\"").drop { $0 != "bundle" }.dropFirst(2).first.map(String.init) ?? ""
    let verify = try adlab(["verify", bundle, "--jobs", "2"], cache: folder)
    #expect(verify.status == 0 && verify.stdout.hasPrefix("identical"), "\(verify.stdout) \(verify.stderr)")
    // Off-policy bundles follow the same file rules as runs.
    try IntegrityCLITests.appendByte(to: "\(bundle)/summary.json")
    let tampered = try adlab(["verify", bundle], cache: folder)
    #expect(
      tampered.status == 1 && tampered.stdout.contains("changed (sha256 differs from the manifest): summary.json"),
      "\(tampered.stdout)")
  }
}
