import AdLabTensor
import Foundation

/// The advertisers' side: ads (one campaign each) promoting an item, with creatives, a bid and a daily budget.
///
/// A CPC ad pays per click, a CPM ad per impression. In the auction for a slot, an ad's bid per impression is
/// `bid / 1000` (CPM) or `bid · auction_ctr` (CPC), and it wins when that is at least the competing bid drawn
/// for the (step, slot). Under second price a CPM ad pays the competing bid per impression and a CPC ad pays
/// `competing / auction_ctr` per click; under first price each pays its own bid. Either way a charge never exceeds
/// the bid, so `maxCharge` bounds what one event can cost: an ad is withheld unless its remaining budget covers it,
/// and spend can never pass the budget.
struct EcommerceCampaigns {
  /// Per ad (struct of arrays).
  let item: [Int32]
  let topCategory: [UInt16]
  let isCPC: [Bool]
  /// The bid in its own unit: per click (CPC) or per thousand impressions (CPM).
  let bid: [Double]
  /// The bid per impression the auction compares against the competing bid.
  let bidPerImpression: [Double]
  /// The most one charge (a click for CPC, an impression for CPM) can cost.
  let maxCharge: [Double]
  let dailyBudget: [Double]
  /// Creatives of ad `a` are `creativeStart[a] ..< creativeStart[a + 1]`.
  let creativeStart: [Int32]
  /// Latent appeal of each creative (logit scale), standard normal.
  let appeal: [Float]

  /// Ads `0 ..< ads` promote uniform initial items; the campaigns that arrive later (`arrivals`) come after them,
  /// promoting the items the arrivals chose, with their other traits drawn after the initial ads' from the same stream.
  init(_ params: EcommerceEnvironment.Params, catalog: EcommerceCatalog, arrivals: EcommerceArrivals, key: StreamKey) {
    var stream = RandomStream(key: key)
    let n = params.ads + arrivals.newAdCount
    var item = [Int32](repeating: 0, count: n), top = [UInt16](repeating: 0, count: n)
    var isCPC = [Bool](repeating: false, count: n)
    var bid = [Double](repeating: 0, count: n), perImpression = bid, maxCharge = bid, budget = bid
    var creativeStart: [Int32] = [0], appeal: [Float] = []
    for a in 0..<n {
      let i = a < params.ads ? stream.int(below: catalog.initialItems) : arrivals.adItem[a - params.ads]
      item[a] = Int32(i)
      top[a] = UInt16(catalog.top(ofLeaf: Int(catalog.leaf[i])))
      isCPC[a] = stream.uniform() < params.cpcShare
      let median = isCPC[a] ? params.cpcBid : params.cpmBid
      bid[a] = median * AdLabMath.exp(params.bidSigma * stream.normal())
      perImpression[a] = isCPC[a] ? bid[a] * params.auctionCTR : bid[a] / 1000
      maxCharge[a] = isCPC[a] ? bid[a] : bid[a] / 1000
      budget[a] = params.dailyBudget * AdLabMath.exp(params.budgetSigma * stream.normal())
      let creatives = 1 + stream.int(below: params.maxCreatives)
      for _ in 0..<creatives { appeal.append(Float(stream.normal())) }
      creativeStart.append(Int32(appeal.count))
    }
    self.item = item
    topCategory = top
    self.isCPC = isCPC
    self.bid = bid
    bidPerImpression = perImpression
    self.maxCharge = maxCharge
    dailyBudget = budget
    self.creativeStart = creativeStart
    self.appeal = appeal
  }

  var count: Int { item.count }
  var creativeCount: Int { appeal.count }

  /// The creative ad `a` shows at a page view, rotating by a uniform draw `u` (so the platform's rotation is part
  /// of the (step, ad) noise every variant shares).
  @inline(__always) func creative(ad a: Int, u: Double) -> Int {
    let start = Int(creativeStart[a]), count = Int(creativeStart[a + 1]) - start
    return start + min(Int(u * Double(count)), count - 1)
  }

  /// The bid per thousand impressions (eCPM) the ad offers: comparable across CPC and CPM ads, served as `bid`.
  @inline(__always) func ecpm(ad a: Int) -> Double { bidPerImpression[a] * 1000 }

  /// What the ad pays for an impression (CPM) or a click (CPC) when it wins against `competing`.
  @inline(__always) func charge(ad a: Int, competing: Double, firstPrice: Bool, auctionCTR: Double) -> Double {
    if firstPrice { return maxCharge[a] }
    return min(isCPC[a] ? competing / auctionCTR : competing, maxCharge[a])
  }
}
