/// Everything serving, the oracle and `resolve` read about an ad, packed in one record per ad (about 128 bytes;
/// 500 ads fit in L2) and precomputed once: the ad's item and its catalog attributes, the candidate features, the
/// auction numbers and the constant terms of the click and conversion logits. It replaces a dozen bounds-checked
/// lookups per candidate in `campaigns` and `catalog`. The precomputed terms are the very products the formulas
/// use (`quality_weight · (quality − ½)`, …), added in the same order, so results are unchanged to the bit.
final class EcommerceAdTable {
  struct Row {
    /// Candidate categorical features after `ad_id`: item + 1, leaf, brand, three title tokens.
    var itemPlusOne: UInt64 = 0
    var leafFeature: UInt64 = 0
    var brand: UInt64 = 0
    var token0: UInt64 = 0
    var token1: UInt64 = 0
    var token2: UInt64 = 0
    /// `quality_weight · (quality − ½)` and `conversion_quality · (quality − ½)`.
    var clickQualityTerm: Double = 0
    var conversionQualityTerm: Double = 0
    /// log price − median log price of the leaf (computed in Float, as the formula's input always was).
    var relativeLogPrice: Double = 0
    var bidPerImpression: Double = 0
    var maxCharge: Double = 0
    var price: Double = 0
    var marginRate: Double = 0
    var leaf: Int32 = 0
    var top: Int32 = 0
    var creativeStart: Int32 = 0
    var creativeCount: Int32 = 0
    /// Candidate dense features: log price, quality, eCPM.
    var logPrice: Float = 0
    var quality: Float = 0
    var ecpm: Float = 0
    var isCPC = false
  }

  let rows: UnsafeMutablePointer<Row>
  /// `appeal_weight · appeal` of each creative.
  let appealTerm: UnsafeMutablePointer<Double>

  init(catalog: EcommerceCatalog, campaigns: EcommerceCampaigns, params: EcommerceEnvironment.Params) {
    let n = max(campaigns.count, 1)
    rows = .allocate(capacity: n)
    rows.initialize(repeating: Row(), count: n)
    for a in 0..<campaigns.count {
      let item = Int(campaigns.item[a]), leaf = Int(catalog.leaf[item])
      let quality = Double(catalog.quality[item])
      var row = Row()
      row.itemPlusOne = UInt64(item + 1)
      row.leafFeature = UInt64(leaf)
      row.brand = UInt64(catalog.brand[item])
      row.token0 = catalog.titleTokens[item * 3]
      row.token1 = catalog.titleTokens[item * 3 + 1]
      row.token2 = catalog.titleTokens[item * 3 + 2]
      row.clickQualityTerm = params.qualityWeight * (quality - 0.5)
      row.conversionQualityTerm = params.conversionQuality * (quality - 0.5)
      row.relativeLogPrice = Double(catalog.logPrice[item] - catalog.medianLogPrice[leaf])
      row.bidPerImpression = campaigns.bidPerImpression[a]
      row.maxCharge = campaigns.maxCharge[a]
      row.price = Double(catalog.price[item])
      row.marginRate = Double(catalog.marginRate[item])
      row.leaf = Int32(leaf)
      row.top = Int32(campaigns.topCategory[a])
      row.creativeStart = campaigns.creativeStart[a]
      row.creativeCount = campaigns.creativeStart[a + 1] - campaigns.creativeStart[a]
      row.logPrice = catalog.logPrice[item]
      row.quality = catalog.quality[item]
      row.ecpm = Float(campaigns.ecpm(ad: a))
      row.isCPC = campaigns.isCPC[a]
      rows[a] = row
    }
    let creatives = max(campaigns.creativeCount, 1)
    appealTerm = .allocate(capacity: creatives)
    appealTerm.initialize(repeating: 0, count: creatives)
    for c in 0..<campaigns.creativeCount { appealTerm[c] = params.appealWeight * Double(campaigns.appeal[c]) }
  }

  deinit {
    rows.deallocate()
    appealTerm.deallocate()
  }

  /// What the ad pays for an impression (CPM) or a click (CPC) when it wins against `competing` (as
  /// `EcommerceCampaigns.charge`).
  @inline(__always) static func charge(_ row: Row, competing: Double, firstPrice: Bool, auctionCTR: Double) -> Double {
    if firstPrice { return row.maxCharge }
    return min(row.isCPC ? competing / auctionCTR : competing, row.maxCharge)
  }
}
