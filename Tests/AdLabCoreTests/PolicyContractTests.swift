import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// A policy or model from outside AdLab that breaks its contract stops the run with an error naming it, never a trap.
struct PolicyContractTests {
  /// Chooses candidate index `candidates` (one past the last) for every decision after the first batch.
  final class OutOfRangePolicy: Policy {
    struct Params: PluginParameters {
      init() {}
      static var fields: [ParameterField<Params>] { [] }
    }
    private var batches = 0
    func choose(
      _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
      propensities: UnsafeMutableBufferPointer<Double>?
    ) {
      for index in 0..<actions.count { actions[index] = batches == 0 ? 0 : Int32(batch.candidateCount) }
      batches += 1
    }
    func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>) {}
  }

  @Test func anOutOfRangeActionStopsTheRunWithTheVariantAndPlugin() async throws {
    var registry = PluginRegistry.builtin
    registry.policies.register("out-of-range", summary: "test policy", parameters: OutOfRangePolicy.Params.self) {
      _, _ in
      OutOfRangePolicy()
    }
    let loaded = try SpecLoader.load(
      text: """
        name: contract
        seed: 3
        replications: 1
        horizon: 400
        batch: 100
        environment: { plugin: bernoulli, params: { arms: 5 } }
        variants:
          broken: { policy: out-of-range }
        """,
      file: "contract.yaml", registry: registry)
    let runError = await #expect(throws: RunError.self) { try await ExperimentRunner(jobs: 1).run(loaded.spec) }
    #expect(runError?.variant == "broken")
    let error = runError?.underlying as? PolicyContractViolation
    #expect(error?.variant == "broken" && error?.plugin == "out-of-range")
    #expect(error?.action == 5 && error?.candidates == 5 && error?.repeated == false)
    #expect(error?.description.contains("outside 0..<5") == true)
  }

  /// Declares predicts_conversions in its registration but its instance predicts none.
  final class ConversionlessModel: InterestModel {
    struct Params: PluginParameters {
      init() {}
      static var fields: [ParameterField<Params>] { [] }
    }
    var predictsConversions: Bool { false }
    func predict(_ batch: DecisionBatch, into predictions: inout Predictions) {
      for index in predictions.click.indices { predictions.click[index] = 0.05 }
    }
    func learn(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, outcomes: OutcomeBatch) {}
  }

  /// `validate` trusts the declared capability (a conversion objective passes), so the runner holds the instance to
  /// it: before this check the policy's pCVR lookup trapped.
  @Test func aModelThatBreaksItsDeclaredCapabilitiesStopsTheRun() async throws {
    var registry = PluginRegistry.builtin
    registry.models.register(
      "conversionless", summary: "test model", parameters: ConversionlessModel.Params.self,
      capabilities: { _ in PluginCapabilities(.predictsConversions) }
    ) { _, _ in ConversionlessModel() }
    let loaded = try SpecLoader.load(
      text: """
        name: contract
        seed: 3
        replications: 1
        horizon: 400
        batch: 100
        environment: { plugin: ecommerce, params: { users: 200, items: 60, ads: 10 } }
        variants:
          lying: { policy: { plugin: greedy-model, params: { objective: conversion } }, model: conversionless }
        """,
      file: "contract.yaml", registry: registry)
    let runError = await #expect(throws: RunError.self) { try await ExperimentRunner(jobs: 1).run(loaded.spec) }
    let error = runError?.underlying as? ModelContractViolation
    #expect(error?.plugin == "conversionless" && error?.variant == "lying")
    #expect(error?.declaredConversions == true && error?.instanceConversions == false)
  }

  @Test func repeatedAdsInOnePageViewAreFoundAndEmptySlotsAreNot() {
    func first(_ actions: [Int32], slots: Int) -> PolicyContractViolation? {
      actions.withUnsafeBufferPointer {
        PolicyContractViolation.first(in: $0, candidates: 4, slots: slots, variant: "v", plugin: "p")
      }
    }
    let empty = DecisionBatch.noAd
    #expect(first([0, 1, 2, 3, empty, 2], slots: 3) == nil)
    #expect(first([empty, empty, 3, 1, 0, 2], slots: 2) == nil)
    let repeated = first([0, 1, 2, 3, 1, 3], slots: 3)
    #expect(repeated?.decision == 1 && repeated?.slot == 2 && repeated?.repeated == true)
    let negative = first([0, -2], slots: 2)
    #expect(negative?.slot == 1 && negative?.repeated == false)
  }
}
