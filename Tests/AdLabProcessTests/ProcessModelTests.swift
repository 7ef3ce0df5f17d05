import AdLabBuiltins
import AdLabCore
import Foundation
import Testing

@testable import AdLabProcess

/// An interest model in a Python child feeding a built-in policy (`greedy-model`) on `bernoulli`.
@Suite(.enabled(if: ProcessTestSupport.hasPython, ProcessTestSupport.noPython))
struct ProcessModelTests {
  static let example = ProcessTestSupport.root + "/python/examples/ctr_counts.py"

  static func variants(_ command: String) -> String {
    "  py-model:\n    model: { plugin: process, params: { command: \(command) } }\n"
      + "    policy: { plugin: greedy-model, params: { epsilon: 0.05 } }\n  random: { policy: random }"
  }

  @Test func pythonModelDrivesGreedyModelAndIsDeterministic() async throws {
    let loaded = try ProcessTestSupport.spec(Self.variants("[python3, \(Self.example)]"))
    let result = try await ExperimentRunner(jobs: 2).run(loaded.spec)
    let model = result.jobs[0].map(\.totals.clicks).reduce(0, +),
      random = result.jobs[1].map(\.totals.clicks).reduce(0, +)
    #expect(model > random)
    // The model's predictions reach the model-quality metrics (one per shown ad).
    #expect(result.jobs[0].allSatisfy { $0.totals.predicted == 2000 })
    let one = try await ProcessTestSupport.contents(loaded, jobs: 1)
    let two = try await ProcessTestSupport.contents(loaded, jobs: 2)
    #expect(one.digest == two.digest)
  }

  @Test func probabilityOutsideTheUnitIntervalStopsTheJob() async throws {
    let path = try ProcessTestSupport.script(
      "bad-model.py",
      """
      class M:
          def __init__(self, hello): pass
          def predict(self, batch): return [1.5] * (batch.n * batch.candidates)
          def learn(self, batch): pass
      adlab_plugin.run(M)
      """)
    let loaded = try ProcessTestSupport.spec(Self.variants("[python3, \(path)]"))
    await #expect {
      _ = try await ExperimentRunner(jobs: 1).run(loaded.spec)
    } throws: { error in
      let text = "\(error)"
      return text.contains("variant 'py-model', model 'process'") && text.contains("pCTR 1.5 at entry 0")
    }
  }
}
