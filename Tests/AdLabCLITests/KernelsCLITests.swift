import Foundation
import Testing

/// `--kernels` and `ADLAB_KERNELS` as a user meets them: bad names are bad input, the class in force is recorded
/// in manifest.json, and the option wins over the environment variable.
extension CLITests {
  /// Runs `adlab` with `environment` added to (or, for nil values, removed from) this process's environment.
  func adlab(_ arguments: [String], environment: [String: String?]) throws -> Output {
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    let process = Process()
    process.executableURL = Self.binary
    process.arguments = arguments
    process.environment = env
    process.currentDirectoryURL = Self.repository
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  @Test func unknownKernelClassIsBadInput() throws {
    let result = try adlab(["run", "experiments/quickstart.yaml", "--kernels", "avx9"], environment: [:])
    #expect(result.status == 2)
    #expect(result.stderr.contains("unknown kernel class 'avx9'"), "\(result.stderr)")
    let fromEnvironment = try adlab(["run", "experiments/quickstart.yaml"], environment: ["ADLAB_KERNELS": "avx9"])
    #expect(fromEnvironment.status == 2)
    #expect(fromEnvironment.stderr.contains("ADLAB_KERNELS"), "\(fromEnvironment.stderr)")
  }

  @Test func manifestRecordsTheKernelClassAndTheOptionWinsOverTheEnvironment() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let spec = "\(folder)/tiny.yaml"
    try Data(Self.tinySpec.utf8).write(to: URL(fileURLWithPath: spec))
    // An unknown name in the environment is ignored when the option is given.
    let run = try adlab(
      ["run", spec, "--out", folder, "--kernels", "portable"], environment: ["ADLAB_KERNELS": "avx9"])
    #expect(run.status == 0, "\(run.stderr)")
    let bundle = try #require(
      try FileManager.default.contentsOfDirectory(atPath: "\(folder)/tiny").first { !$0.hasPrefix(".") })
    let manifest = try String(contentsOfFile: "\(folder)/tiny/\(bundle)/manifest.json", encoding: .utf8)
    #expect(manifest.contains("\"kernels\": \"portable\""))
    // verify re-runs with the recorded class whatever the machine's best one is.
    let verified = try adlab(["verify", "\(folder)/tiny/\(bundle)"], environment: ["ADLAB_KERNELS": nil])
    #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
  }
}
