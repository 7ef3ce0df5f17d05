import AdLabCore
import AdLabTensor
import Foundation
import Testing

@testable import AdLabEnvironments

/// The e-commerce market's contract: schema, layout, determinism and common random numbers, oracle consistency.
struct EcommerceEnvironmentTests {
  typealias Support = EcommerceTestSupport

  @Test func schemaUsesTheContractNames() {
    let env = Support.make()
    let schema = env.featureSchema
    #expect(schema.decisionCategorical.map(\.name) == ["user_id", "segment", "hour"])
    #expect(
      schema.candidateCategorical.map(\.name).prefix(7) == [
        "ad_id", "item_id", "category", "brand", "title_token_0", "title_token_1", "title_token_2",
      ])
    #expect(schema.decisionDense.map(\.name) == ["recent_exposures", "time_since_last_ad", "session_depth"])
    #expect(schema.candidateDense.map(\.name) == ["price", "quality", "bid", "ad_exposures"])
    #expect(schema.sequences.map(\.name) == ["history"])
    #expect(env.slotCount == 3 && env.candidateCount == 10 && env.adCount == 60)
  }

  @Test func batchesHaveTheDocumentedLayout() {
    let env = Support.make()
    let n = 200
    let batch = env.nextBatch(firstStep: 0, count: n)
    let k = env.candidateCount, schema = env.featureSchema
    // Nobody is away on the first day (churn follows a day with ads), so every step has a page view.
    #expect(batch.count == n && batch.steps == Array(0..<n))
    #expect(batch.slotCount == 3 && batch.candidateIDs.count == n * k)
    #expect(batch.features.decisionCategorical.count == n * schema.decisionCategorical.count)
    #expect(batch.features.candidateCategorical.count == n * k * schema.candidateCategorical.count)
    #expect(batch.features.candidateDense.count == n * k * schema.candidateDenseWidth)
    #expect(batch.features.sequences.count == n * schema.sequenceWidth)
    let itemColumn = schema.columns(of: "item_id")!.lowerBound, width = schema.candidateCategorical.count
    for i in 0..<n {
      let ids = batch.candidateIDs[(i * k)..<((i + 1) * k)]
      #expect(Set(ids).count == k, "candidates of a decision are distinct ads")
      #expect(ids.allSatisfy { $0 < 60 })
      #expect(batch.features.decisionCategorical[i * 3] == batch.userIDs[i])
      #expect(batch.features.decisionCategorical[i * 3 + 2] < 24)
      let length = Int(batch.features.sequenceLengths[i])
      #expect(length >= 1, "the viewed item is in the history")
      for c in 0..<k {
        let item = batch.features.candidateCategorical[(i * k + c) * width + itemColumn]
        #expect(item >= 1 && item <= 500)
        #expect(batch.features.candidateCategorical[(i * k + c) * width] == batch.candidateIDs[i * k + c])
      }
    }
    // Candidates differ across decisions (retrieval follows the user's browsing).
    #expect(Set((0..<n).map { batch.candidateIDs[($0 * k)..<($0 * k + k)].sorted() }).count > n / 2)
    #expect(env.catalog.title(of: 0).split(separator: " ").count == 3)
  }

  @Test func emptySlotsAndLostAuctionsHaveZeroOutcomes() {
    let env = Support.make { $0.competingBid = 1e9 }
    let batch = env.nextBatch(firstStep: 0, count: 50)
    var outcomes = OutcomeBatch(count: batch.actionCount)
    let actions = Support.fill(batch)
    actions.withUnsafeBufferPointer { env.resolve(batch, actions: $0, into: &outcomes) }
    #expect(outcomes.impressions.allSatisfy { $0 == 0 } && outcomes.frequency.allSatisfy { $0 == 0 })
    let open = Support.make(Support.unconstrained)
    let b = open.nextBatch(firstStep: 0, count: 50)
    var mixed = Support.fill(b)
    for i in 0..<50 { mixed[i * 3 + 1] = DecisionBatch.noAd }
    mixed.withUnsafeBufferPointer { open.resolve(b, actions: $0, into: &outcomes) }
    for i in 0..<50 {
      #expect(outcomes.impressions[i * 3] == 1 && outcomes.impressions[i * 3 + 1] == 0)
      #expect(outcomes.clicks[i * 3 + 1] == 0 && outcomes.cost[i * 3 + 1] == 0 && outcomes.frequency[i * 3 + 1] == 0)
      #expect(outcomes.frequency[i * 3] >= 1)
    }
  }

  @Test func expectedOutcomesMatchTheEmpiricalMeanOfResolve() {
    let env = Support.make(Support.unconstrained)
    let n = 6000, k = env.candidateCount, slots = env.slotCount
    var clickProbabilities: [Double] = [], conversionProbabilities: [Double] = [], observedClicks = 0.0,
      observedConversions = 0.0
    var expectedCost = 0.0, observedCost = 0.0, costVariance = 0.0
    for b in 0..<2 {
      let batch = env.nextBatch(firstStep: b * n, count: n)
      var expected = OutcomeBatch(count: batch.actionCount * k)
      env.expectedOutcomes(batch, into: &expected)
      let before = expected
      env.expectedOutcomes(batch, into: &expected)
      #expect(before.clicks == expected.clicks, "the oracle does not change state")
      let actions = Support.fill(batch, shift: b)
      var outcomes = OutcomeBatch(count: batch.actionCount)
      actions.withUnsafeBufferPointer { env.resolve(batch, actions: $0, into: &outcomes) }
      for i in 0..<batch.count {
        for s in 0..<slots {
          let e = i * slots + s, x = (e * k) + Int(actions[e])
          #expect(expected.impressions[x] == outcomes.impressions[e])
          clickProbabilities.append(expected.clicks[x])
          if outcomes.clicks[e] > 0 { conversionProbabilities.append(expected.conversions[x] / expected.clicks[x]) }
          observedClicks += outcomes.clicks[e]
          observedConversions += outcomes.conversions[e]
          expectedCost += expected.cost[x]
          observedCost += outcomes.cost[e]
          if env.campaigns.isCPC[batch.adID(decision: i, candidate: Int(actions[e]))] && expected.clicks[x] > 0 {
            let charge = expected.cost[x] / expected.clicks[x]
            costVariance += charge * charge * expected.clicks[x] * (1 - expected.clicks[x])
          }
        }
      }
    }
    #expect(
      Support.withinBounds(observed: observedClicks, probabilities: clickProbabilities),
      "clicks \(observedClicks) vs \(clickProbabilities.reduce(0, +))")
    #expect(
      Support.withinBounds(observed: observedConversions, probabilities: conversionProbabilities),
      "conversions \(observedConversions)")
    #expect(
      abs(observedCost - expectedCost) < 5 * costVariance.squareRoot() + 1e-9, "cost \(observedCost) vs \(expectedCost)"
    )
  }

  @Test func sameSeedGivesIdenticalMarketsAndOtherSeedsDiffer() {
    func trace(seed: UInt64) -> ([UInt64], [Double], [Double], MarketCounters?) {
      let env = Support.make(seed: seed)
      var users: [UInt64] = [], clicks: [Double] = [], cost: [Double] = []
      Support.run(env, batches: 5, size: 200, actions: { Support.fill($0) }) { batch, _, outcomes in
        users += batch.userIDs
        clicks += outcomes.clicks
        cost += outcomes.cost
      }
      return (users, clicks, cost, env.marketCounters())
    }
    let a = trace(seed: 3), b = trace(seed: 3), c = trace(seed: 4)
    #expect(a.0 == b.0 && a.1 == b.1 && a.2 == b.2 && a.3 == b.3)
    #expect(a.0 != c.0)
  }

  @Test func pairedVariantsShareArrivalsAndOutcomeNoise() {
    // Without churn, who arrives never depends on the ads shown: both "variants" see the same users.
    let light = Support.make { $0.churnPerAd = 0 }, heavy = Support.make { $0.churnPerAd = 0 }
    var lightUsers: [UInt64] = [], heavyUsers: [UInt64] = []
    var firstSlotClicks: ([Double], [Double]) = ([], [])
    Support.run(
      light, batches: 4, size: 250,
      actions: { batch in
        var a = Support.fill(batch)
        for i in 0..<batch.count {
          a[i * 3 + 1] = DecisionBatch.noAd
          a[i * 3 + 2] = DecisionBatch.noAd
        }
        return a
      }
    ) { batch, _, outcomes in
      lightUsers += batch.userIDs
      if batch.steps[0] == 0 { firstSlotClicks.0 = (0..<batch.count).map { outcomes.clicks[$0 * 3] } }
    }
    Support.run(heavy, batches: 4, size: 250, actions: { Support.fill($0) }) { batch, _, outcomes in
      heavyUsers += batch.userIDs
      if batch.steps[0] == 0 { firstSlotClicks.1 = (0..<batch.count).map { outcomes.clicks[$0 * 3] } }
    }
    #expect(lightUsers == heavyUsers)
    // In the first batch both saw the same state, so the same ad in slot 0 got the same click draw.
    #expect(firstSlotClicks.0 == firstSlotClicks.1)
    #expect(firstSlotClicks.0.contains(1))
  }

  @Test func churnCostsPageViewsOnlyWhereAdLoadDiffers() {
    // Heavy churn: a day of ads sends users away. A step whose user is away has no page view, so the loud
    // variant loses traffic from the second day on; the first day is identical, and a step with a page view in
    // both variants brings the same user (the population timeline does not depend on the ads shown).
    func pageViews(ads: Bool) -> [Int: UInt64] {
      let env = Support.make {
        $0.churnPerAd = 3
        $0.adTolerance = 0
        $0.pageViewsPerDay = 500
        $0.users = 300
      }
      var out: [Int: UInt64] = [:]
      Support.run(
        env, batches: 20, size: 100,
        actions: { ads ? Support.fill($0) : [Int32](repeating: DecisionBatch.noAd, count: $0.actionCount) }
      ) { batch, _, _ in
        #expect(batch.count <= 100 && batch.steps == batch.steps.sorted())
        #expect(batch.steps.allSatisfy { $0 >= batch.steps.first! && $0 < batch.steps.first! + 100 })
        for (step, user) in zip(batch.steps, batch.userIDs) { out[step] = user }
      }
      return out
    }
    let quiet = pageViews(ads: false), loud = pageViews(ads: true)
    for step in 0..<500 { #expect(quiet[step] != nil && quiet[step] == loud[step], "day 0, step \(step)") }
    let later = (500..<2000).filter { loud[$0] != nil }.count,
      laterQuiet = (500..<2000).filter { quiet[$0] != nil }.count
    #expect(later < laterQuiet - 200, "ad load costs page views (\(later) vs \(laterQuiet) on days 1–3)")
    for (step, user) in loud where quiet[step] != nil {
      #expect(quiet[step] == user, "step \(step) brings the same user")
    }
  }

  @Test func driftMovesInterestsOnlyWhenEnabled() {
    let still = Support.make(), moving = Support.make { $0.driftSD = 0.5 }
    Support.run(still, batches: 10, size: 1000)
    Support.run(moving, batches: 10, size: 1000)
    var changed = 0
    for u in 0..<200 where moving.users.interest[u * 10] != still.users.interest[u * 10] { changed += 1 }
    #expect(changed > 50)
  }
}
