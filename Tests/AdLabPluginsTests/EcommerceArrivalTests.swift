import AdLabCore
import AdLabTensor
import Testing

@testable import AdLabEnvironments

/// Items and campaigns arriving during a run: exact daily rates from their own stream, held-back leaves filled only
/// by arrivals, new ads served only after launch, the `item_age` feature and the new-item flags.
struct EcommerceArrivalTests {
  typealias Support = EcommerceTestSupport

  /// A small market with arrivals over `days` days of 1000 page views.
  static func market(
    seed: UInt64 = 5, days: Int = 5, _ configure: (inout EcommerceEnvironment.Params) -> Void = { _ in }
  ) -> EcommerceEnvironment {
    var params = EcommerceEnvironment.Params()
    params.users = 1500
    params.items = 400
    params.brands = 30
    params.ads = 40
    params.pageViewsPerDay = 1000
    params.newItemsPerDay = 7
    params.newCampaignsPerDay = 3
    params.newLeaves = 2
    configure(&params)
    precondition(params.crossFieldProblems().isEmpty, "bad test parameters: \(params.crossFieldProblems())")
    return EcommerceEnvironment(
      params,
      context: PluginContext(
        key: StreamKey(seed: seed).child("env"), replication: 0, horizon: days * 1000, batchSize: 100, candidateCount: 0
      ))
  }

  @Test func itemsAndCampaignsArriveAtTheConfiguredDailyRates() {
    let env = Self.market()
    let arrivals = env.arrivals
    // Days 1 … 4 of a 5-day run bring 7 items and 3 campaigns each; day 0 is the initial market.
    #expect(arrivals.newItemCount == 4 * 7 && arrivals.newAdCount == 4 * 3)
    for day in 1..<5 {
      #expect(arrivals.itemStep.filter { $0 / 1000 == day }.count == 7, "items on day \(day)")
      #expect(arrivals.adStep.filter { $0 / 1000 == day }.count == 3, "campaigns on day \(day)")
    }
    #expect(arrivals.itemStep == arrivals.itemStep.sorted() && arrivals.adStep == arrivals.adStep.sorted())
    #expect(env.adCount == 40 + 12 && env.catalog.itemCount == 400 + 28)
    // A new campaign promotes an item that arrived the same day, and starts no earlier than it.
    for (j, item) in arrivals.adItem.enumerated() {
      #expect(item >= 400)
      let itemStep = arrivals.itemStep[item - 400]
      #expect(itemStep / 1000 == arrivals.adStep[j] / 1000 && itemStep <= arrivals.adStep[j])
    }
  }

  @Test func arrivalsComeFromTheirOwnStream() {
    let base = Self.market()
    // Other rates leave the initial catalog and the initial campaigns exactly as they were …
    let more = Self.market {
      $0.newItemsPerDay = 20
      $0.newCampaignsPerDay = 5
    }
    #expect(Array(base.catalog.price[..<400]) == Array(more.catalog.price[..<400]))
    #expect(Array(base.catalog.leaf[..<400]) == Array(more.catalog.leaf[..<400]))
    #expect(Array(base.campaigns.bid[..<40]) == Array(more.campaigns.bid[..<40]))
    // … and another replication's stream draws another schedule.
    let other = Self.market(seed: 6)
    #expect(base.arrivals.itemStep != other.arrivals.itemStep)
    // Without arrivals nothing is drawn: the market is the one of the plain parameters.
    let none = Self.market {
      $0.newItemsPerDay = 0
      $0.newCampaignsPerDay = 0
      $0.newLeaves = 0
    }
    #expect(none.arrivals.isEmpty && none.adCount == 40 && none.catalog.itemCount == 400)
    #expect(!none.featureSchema.dense.contains { $0.name == "item_age" })
  }

  @Test func heldBackLeavesHoldOnlyArrivals() {
    let env = Self.market(days: 20)
    let heldBack = (0..<env.params.leafCategories).filter { env.arrivals.heldBack[$0] }
    #expect(heldBack == [4, 9])  // the last subcategory of the first two top categories
    #expect(!env.catalog.leaf[..<400].contains { heldBack.contains(Int($0)) })
    #expect(env.catalog.leaf[400...].contains { heldBack.contains(Int($0)) })
  }

  @Test func newAdsAreServedOnlyAfterLaunchAndNewItemsAreFlagged() {
    let env = Self.market { Support.unconstrained(&$0) }
    let schema = env.featureSchema
    let ageColumn = schema.columns(of: "item_age")
    #expect(ageColumn != nil)
    let width = schema.candidateDenseWidth
    var servedNewAds = Set<Int>(), flaggedNew = 0, viewedNewItems = 0
    Support.run(
      env, batches: 50, size: 100,
      visit: { batch, _, _ in
        let k = batch.candidateCount
        guard let flags = batch.newItemCandidates, let ageColumn else { return }
        #expect(flags.count == batch.count * k)
        for i in 0..<batch.count {
          let step = batch.steps[i]
          for c in 0..<k {
            let ad = Int(batch.candidateIDs[i * k + c])
            let item = Int(env.adTable.rows[ad].itemPlusOne) - 1
            if ad >= 40 {
              #expect(env.arrivals.adStep[ad - 40] <= step, "ad \(ad) served before its launch")
              servedNewAds.insert(ad)
            }
            let arrival = env.arrivals.arrival(ofItem: item)
            let isNew = item >= 400 && step - arrival < 3 * 1000
            #expect(flags[i * k + c] == isNew)
            if flags[i * k + c] { flaggedNew += 1 }
            let age = batch.features.candidateDense[(i * k + c) * width + ageColumn.lowerBound]
            #expect(age == (item >= 400 ? min(Float(step - arrival) / 1000, 30) : 30))
          }
          let length = Int(batch.features.sequenceLengths[i])
          viewedNewItems +=
            batch.features.sequences[(i * env.params.history)..<(i * env.params.history + length)].filter { $0 > 400 }
            .count
        }
      })
    #expect(servedNewAds.count >= 6, "new campaigns reached the candidates: \(servedNewAds.count)")
    #expect(flaggedNew > 0 && viewedNewItems > 0)
  }

  @Test func arrivalParametersAreCheckedTogether() {
    var params = EcommerceEnvironment.Params()
    params.newLeaves = 2
    #expect(params.crossFieldProblems().contains { $0.contains("new_items_per_day") })
    params.newItemsPerDay = 5
    params.subcategories = 1
    #expect(params.crossFieldProblems().contains { $0.contains("subcategories") })
  }
}
