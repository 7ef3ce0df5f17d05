import AdLabBuiltins
import Testing

@testable import AdLabCore

struct RegistryTests {
  @Test(arguments: [("kitten", "sitting", 3), ("bar", "baz", 1), ("", "abc", 3), ("ucb1", "ucb1", 0)])
  func editDistance(a: String, b: String, expected: Int) {
    #expect(NameSuggestion.editDistance(a, b) == expected)
  }

  @Test func suggestionsAreNearNamesOnly() {
    let known = ["epsilon-greedy", "exp3", "random", "thompson", "ucb1"]
    #expect(NameSuggestion.closest(to: "tompson", in: known) == ["thompson"])
    #expect(NameSuggestion.closest(to: "epsilon", in: known) == ["epsilon-greedy"])
    #expect(NameSuggestion.closest(to: "zzzzzzzz", in: known).isEmpty)
  }

  @Test func builtinRegistryListsEveryFirstPlugin() {
    let registry = PluginRegistry.builtin
    #expect(registry.environments.names == ["bernoulli", "contextual", "ecommerce", "logged"])
    #expect(
      registry.policies.names == [
        "bernoulli-ts", "dqn", "epsilon-greedy", "epsilon-greedy-ranking", "exp3", "frequency-cap", "greedy-model",
        "lin-ts", "linucb",
        "model-thompson", "process", "q-learning", "random", "squarecb", "thompson", "ucb1",
      ])
    #expect(
      registry.rewards.names == ["click", "conversion", "fatigue-penalised", "profit", "revenue", "roi-constrained"])
    for descriptor in registry.descriptors() {
      #expect(!descriptor.summary.isEmpty)
      for parameter in descriptor.parameters {
        #expect(!parameter.doc.isEmpty, "\(descriptor.name).\(parameter.name) has no doc")
      }
    }
  }

  @Test func parameterInfoShowsDefaultsAndRanges() throws {
    let ucb = try #require(PluginRegistry.builtin.policies.descriptors.first { $0.name == "ucb1" })
    #expect(ucb.parameters.map(\.name) == ["c", "learn_from"])
    #expect(ucb.parameters[0].defaultValue == .double(2))
    #expect(ucb.parameters[0].constraint == "0.0 ≤ x ≤ 100.0")
  }
}
