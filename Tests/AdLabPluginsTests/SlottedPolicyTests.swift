import AdLabCore
import AdLabTensor
import Testing

@testable import AdLabPolicies

/// Every policy on page views with several slots and per-decision candidate sets: actions are valid and distinct,
/// propensities are there where promised, and learners credit rewards to ad ids, not candidate positions.
struct SlottedPolicyTests {
  static let ads = 10, candidates = 4, slots = 2, decisions = 100
  /// The one ad that earns a reward, in whatever slot and candidate position it appears.
  static let winner: UInt64 = 7
  static let schema = FeatureSchema(dense: [.init("x", side: .user)])

  /// Decisions whose four candidates are a random subset of the ten ads, with a user feature and model predictions
  /// that favour the winner.
  static func batch(_ number: Int) -> DecisionBatch {
    var stream = RandomStream(key: StreamKey(seed: 21).child(number))
    var ids: [UInt64] = []
    for _ in 0..<decisions { ids += stream.sampleWithoutReplacement(candidates, from: ads).map { UInt64($0) } }
    var features = FeatureBatch()
    features.decisionDense = (0..<decisions).map { _ in Float(stream.uniform()) }
    let steps = Array((number * decisions)..<((number + 1) * decisions))
    var batch = DecisionBatch(
      steps: steps, userIDs: steps.map { UInt64($0) }, candidateCount: candidates, slotCount: slots, candidateIDs: ids,
      schema: schema, features: features)
    batch.predictions = Predictions(click: ids.map { $0 == winner ? 0.5 : 0.1 + 0.01 * Double($0) })
    return batch
  }

  static func make(_ name: String) throws -> any Policy {
    let context = PluginContext(
      key: StreamKey(seed: 4).child(name), replication: 0, horizon: 10_000, batchSize: decisions,
      candidateCount: candidates,
      featureSchema: schema, slotCount: slots, adCount: ads)
    switch name {
    case "random": return RandomPolicy(context: context)
    case "epsilon-greedy": return EpsilonGreedyPolicy(.init(), context: context)
    case "ucb1": return UCB1Policy(.init(), context: context)
    case "thompson": return try ThompsonPolicy(.init(), context: context)
    case "exp3": return Exp3Policy(.init(), context: context)
    case "linucb": return try LinUCBPolicy(.init(), context: context)
    case "lin-ts": return try LinTSPolicy(.init(), context: context)
    case "model-thompson": return ModelThompsonPolicy(.init(), context: context)
    case "greedy-model": return try GreedyModelPolicy(.init(), context: context)
    case "squarecb": return try SquareCBPolicy(.init(), context: context)
    default: throw PluginError.invalidParameters("no test policy '\(name)'")
    }
  }

  @Test(arguments: [
    "random", "epsilon-greedy", "ucb1", "thompson", "exp3", "linucb", "lin-ts", "model-thompson", "greedy-model",
    "squarecb",
  ])
  func slottedChoicesAreValidAndLearnPerAd(name: String) throws {
    let policy = try Self.make(name)
    var winnerOffered = 0, winnerFirst = 0
    for number in 0..<30 {
      let batch = Self.batch(number)
      var actions = [Int32](repeating: 99, count: batch.actionCount)
      // Propensities cost quadrature or Monte Carlo for some policies: ask for them in a few batches only.
      let logged = number % 10 == 0
      var propensities = [Double](repeating: logged ? -1 : 0.5, count: batch.actionCount)
      actions.withUnsafeMutableBufferPointer { a in
        propensities.withUnsafeMutableBufferPointer { p in
          policy.choose(batch, actions: a, propensities: logged ? p : nil)
        }
      }
      var rewards = [Double](repeating: 0, count: batch.actionCount)
      for i in 0..<batch.count {
        let page = Array(actions[(i * Self.slots)..<((i + 1) * Self.slots)])
        #expect(
          page.allSatisfy { $0 >= 0 && $0 < Int32(Self.candidates) },
          "\(name): every slot filled with a candidate: \(page)")
        #expect(Set(page).count == page.count, "\(name): one ad per slot: \(page)")
        let slot0 = propensities[i * Self.slots]
        #expect(slot0 > 0 && slot0 <= 1, "\(name): slot-0 propensity \(slot0)")
        for s in 0..<Self.slots where page[s] >= 0 {
          if batch.adID(decision: i, candidate: Int(page[s])) == Int(Self.winner) { rewards[i * Self.slots + s] = 1 }
        }
        // Judge learning on the last ten batches only.
        if number >= 20,
          (0..<Self.candidates).contains(where: { batch.adID(decision: i, candidate: $0) == Int(Self.winner) })
        {
          winnerOffered += 1
          if batch.adID(decision: i, candidate: Int(page[0])) == Int(Self.winner) { winnerFirst += 1 }
        }
      }
      if logged && ["random", "ucb1", "linucb"].contains(name) {
        #expect(propensities.allSatisfy { $0 > 0 && $0 <= 1 }, "\(name): exact propensities in every slot")
      }
      if logged && name == "random" { #expect(propensities.allSatisfy { $0 == 1 / Double(Self.candidates) }) }
      actions.withUnsafeBufferPointer { a in
        rewards.withUnsafeBufferPointer { r in policy.update(batch, actions: a, rewards: r) }
      }
    }
    let share = Double(winnerFirst) / Double(winnerOffered)
    if name == "random" {
      #expect(abs(share - 0.25) < 0.1, "random puts the winner first in \(share) of its pages")
    } else {
      #expect(share > 0.7, "\(name) puts the winning ad in slot 0 of only \(share) of the pages that offer it")
    }
  }

  @Test func matchingThompsonRefusesSeveralSlots() {
    var params = ThompsonPolicy.Params()
    params.sampling = .matching
    let context = PluginContext(
      key: StreamKey(seed: 1), replication: 0, horizon: 10, batchSize: 10, candidateCount: 4, slotCount: 3)
    #expect(throws: PluginError.self) { try ThompsonPolicy(params, context: context) }
  }

  @Test func topSlotsAreRankedWithRandomTieBreaks() {
    let scores: [Double] = [0.3, 0.9, 0.3, 0.1, 0.9]
    var stream = RandomStream(key: StreamKey(seed: 2))
    var firstCounts = [0, 0, 0, 0, 0]
    var ranked = true
    for _ in 0..<400 {
      var actions = [Int32](repeating: 0, count: 4), propensities = [Double](repeating: 0, count: 4)
      scores.withUnsafeBufferPointer { row in
        actions.withUnsafeMutableBufferPointer { a in
          propensities.withUnsafeMutableBufferPointer { p in
            SlotRanking.fillTop(row, slots: 4, a, base: 0, propensities: p, stream: &stream)
          }
        }
      }
      // The two 0.9s fill slots 0–1 in either order, then the two 0.3s; each with propensity 1/2.
      ranked =
        ranked && Set(actions[0..<2]) == [1, 4] && Set(actions[2..<4]) == [0, 2]
        && propensities == [0.5, 0.5, 0.5, 0.5]
      firstCounts[Int(actions[0])] += 1
    }
    #expect(ranked)
    #expect(abs(firstCounts[1] - 200) < 50 && abs(firstCounts[4] - 200) < 50)
  }
}
