import AdLabBuiltins
import AdLabCore
import AdLabEnvironments
import Foundation
import Testing

/// Capabilities are declared on the registry entry, so nothing is built to learn what a plugin is.
struct CapabilityTests {
  @Test func builtinEnvironmentsDeclareWhatTheyAre() throws {
    let registry = PluginRegistry.builtin
    let ecommerce = try #require(registry.environments.descriptor(named: "ecommerce")).capabilities
    #expect(ecommerce.contains(.marketCounters) && ecommerce.contains(.oracle) && !ecommerce.contains(.replaysLogs))
    #expect(ecommerce.outcomeColumns.contains(.revenue))
    let logged = try #require(registry.environments.descriptor(named: "logged")).capabilities
    #expect(logged.contains(.replaysLogs) && !logged.contains(.oracle))
    #expect(try #require(registry.policies.descriptor(named: "greedy-model")).capabilities.contains(.needsModel))
    #expect(try #require(registry.policies.descriptor(named: "random")).capabilities.contains(.evaluableOffPolicy))
    #expect(
      try #require(registry.models.descriptor(named: "logistic")).capabilities.contains(.predictsConversions) == false)
  }

  /// Counts environment instances made through the registry.
  final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
  }

  @Test func theRunnerAndTheOffPolicyPathBuildNoProbeEnvironment() async throws {
    let counter = Counter()
    var registry = PluginRegistry.builtin
    registry.environments.register(
      "counted-bernoulli", summary: "bernoulli that counts its instances", parameters: BernoulliEnvironment.Params.self,
      capabilities: { _ in PluginCapabilities(.oracle, outcomeColumns: .clicks) }
    ) { params, context in
      counter.increment()
      return try BernoulliEnvironment(params, context: context)
    }
    let spec = try SpecLoader.load(
      text: """
        name: t
        seed: 1
        replications: 2
        horizon: 200
        batch: 100
        environment: counted-bernoulli
        variants: { a: { policy: ucb1 }, b: { policy: thompson } }
        """, file: "t.yaml", registry: registry
    ).spec
    #expect(!OffPolicyRunner.isLogged(spec))
    #expect(counter.count == 0)
    let result = try await ExperimentRunner(jobs: 1).run(spec)
    #expect(counter.count == 4)  // one per job: 2 variants × 2 replications, no probe
    #expect(result.hasOracle)
  }
}
