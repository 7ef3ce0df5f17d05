import Foundation
import Testing

/// `experiments/frequency-rl.yaml` makes a claim: on a market where ads tire users and drive them away, the
/// sequential learners earn significantly more clicks over the long run than myopic greedy serving. The full
/// experiment needs a release build (about 20 s there, far too long in debug), so this runs the binary named by
/// `ADLAB_RELEASE_BINARY` (CI builds it first and sets it) and is skipped otherwise. It never picks up a
/// `.build/release/adlab` by itself, which may be older than the sources under test.
struct FrequencyRLExperimentTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
    .standardized
  static let release = ProcessInfo.processInfo.environment["ADLAB_RELEASE_BINARY"] ?? ""

  @Test(
    .enabled(
      if: FileManager.default.isExecutableFile(atPath: release),
      "set ADLAB_RELEASE_BINARY to a release-built adlab (`swift build -c release`; the experiment is release-sized)"))
  func learnedPoliciesBeatMyopicGreedy() throws {
    let out = NSTemporaryDirectory() + "adlab-frequency-rl-\(UUID().uuidString.prefix(8))"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.release)
    process.arguments = ["run", "experiments/frequency-rl.yaml", "--out", out, "--format", "json"]
    process.currentDirectoryURL = Self.root
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "adlab run failed: \(output)")

    let bundles = try FileManager.default.contentsOfDirectory(atPath: out + "/frequency-rl")
    let bundle = try #require(bundles.first { !$0.hasPrefix(".") })
    let data = try Data(contentsOf: URL(fileURLWithPath: "\(out)/frequency-rl/\(bundle)/summary.json"))
    let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(summary["control"] as? String == "myopic-greedy")
    let comparisons = try #require(summary["comparisons"] as? [[String: Any]])
    for learner in ["q-learning", "dqn"] {
      let row = try #require(
        comparisons.first { $0["treatment"] as? String == learner && $0["metric"] as? String == "reward" })
      let difference = try #require(row["difference"] as? Double)
      let p = try #require(row["p_value_holm"] as? Double)
      #expect(
        difference > 0 && p < 0.01, "\(learner) vs myopic greedy: reward difference \(difference), paired p (Holm) \(p)"
      )
    }
  }
}
