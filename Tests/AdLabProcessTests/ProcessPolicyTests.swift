import AdLabBuiltins
import AdLabCore
import Foundation
import Testing

@testable import AdLabProcess

/// A Python policy end to end on `bernoulli`, beside a built-in one: it runs, learns, is deterministic, and its
/// script is in the bundle's provenance.
@Suite(.enabled(if: ProcessTestSupport.hasPython, ProcessTestSupport.noPython))
struct ProcessPolicyTests {
  static let example = ProcessTestSupport.root + "/python/examples/epsilon_greedy.py"

  static func variants() -> String {
    "  python-eg: { policy: { plugin: process, params: { command: [python3, \(example), --epsilon, '0.1'] } } }\n"
      + "  random: { policy: random }"
  }

  @Test func pythonPolicyRunsBesideABuiltInAndLearns() async throws {
    let loaded = try ProcessTestSupport.spec(Self.variants())
    let result = try await ExperimentRunner(jobs: 2).run(loaded.spec)
    let python = result.jobs[0].map(\.totals), random = result.jobs[1].map(\.totals)
    #expect(python.allSatisfy { $0.decisions == 2000 })
    // ε-greedy finds the better ads: more clicks than uniform random in total over the replications.
    let pythonClicks = python.map(\.clicks).reduce(0, +), randomClicks = random.map(\.clicks).reduce(0, +)
    #expect(pythonClicks > randomClicks)
  }

  @Test func bundleIsIdenticalForOneAndTwoJobs() async throws {
    let loaded = try ProcessTestSupport.spec(Self.variants())
    let one = try await ProcessTestSupport.contents(loaded, jobs: 1)
    let two = try await ProcessTestSupport.contents(loaded, jobs: 2)
    #expect(one.files == two.files)
    #expect(one.digest == two.digest)
  }

  @Test func resolvedParametersRecordTheCommandAndTheScriptDigest() throws {
    let loaded = try ProcessTestSupport.spec(Self.variants())
    let params = loaded.spec.variants[0].policy.parameters
    let expected = try FileDigest.sha256(path: Self.example)
    guard case .object(let fields) = params else {
      Issue.record("params are not an object")
      return
    }
    let byName = Dictionary(fields, uniquingKeysWith: { a, _ in a })
    #expect(
      byName["command"] == .array([.string("python3"), .string(Self.example), .string("--epsilon"), .string("0.1")]))
    #expect(byName["script_sha256"] == .array([.string("\(expected)  \(Self.example)")]))
  }

  @Test func propensitiesComeBackWhenAsked() throws {
    let policy = try ProcessTestSupport.policy(["python3", Self.example, "--epsilon", "0.2"])
    let batch = ProcessTestSupport.batch(50)
    var actions = [Int32](repeating: 0, count: 50), propensities = [Double](repeating: 0, count: 50)
    actions.withUnsafeMutableBufferPointer { a in
      propensities.withUnsafeMutableBufferPointer { policy.choose(batch, actions: a, propensities: $0) }
    }
    #expect(policy.failure == nil)
    #expect(actions.allSatisfy { (0..<5).contains($0) })
    // ε/K for an exploring pick of a non-greedy ad, ε/K + 1 − ε for the greedy one.
    #expect(propensities.allSatisfy { abs($0 - 0.04) < 1e-12 || abs($0 - 0.84) < 1e-12 })
    let pid = policy.processID
    policy.close()
    #expect(ProcessTestSupport.isReaped(pid))
  }
}
