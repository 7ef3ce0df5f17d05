import AdLabCore
import AdLabTensor
import Foundation

/// A simulated e-commerce ad market: a catalog, advertisers with budgets bidding in an auction, and a population
/// of users who browse over simulated days, get tired of ads, click, buy, and come back less after heavy ad load.
///
/// A decision is one page view with `slots` ad slots; retrieval offers `candidates` ads (their ids, dense in
/// `0..<ads`, differ per page view). A chosen ad is shown only if it wins the slot's auction against a competing
/// bid and its budget covers the charge; otherwise the slot stays empty (all-zero outcome).
///
/// The parts live in their own files: `EcommerceCatalog` (items and titles), `EcommerceCampaigns` (ads, bids,
/// budgets), `EcommerceUsers` (population and behaviour state), `EcommerceTimeline` (clock and who arrives),
/// `EcommerceLedger` (budgets and market counters), `EcommerceOutcomeModel` (the formulas), `EcommerceArrivals`
/// (items and campaigns arriving mid-run), `EcommerceCatalogText` (titles, themes, ad lines, their embeddings), serving in
/// `EcommerceEnvironment+Serving.swift` and outcomes in `EcommerceEnvironment+Outcomes.swift`.
///
/// **Batched state.** Everything a decision sees — features, click and conversion probabilities, the oracle — is
/// computed from the market as it stands when its batch is served, as with a serving system whose logs arrive
/// once per batch; `resolve` then applies exposures, clicks, purchases and spend in decision order. So the oracle
/// is exact for what `resolve` draws, and budgets are still checked live (spend never exceeds a budget).
///
/// **Randomness.** Fixed traits come from sequential streams under `catalog`, `campaigns`, `users` (and the
/// schedule of items and campaigns arriving during the run under `arrivals`, see `EcommerceArrivals`); everything per
/// step is counter-based: arrivals `(step)`, browsing and retrieval `(step, ·)`, the competing bid
/// `(step, slot)`, creative rotation `(step, ad)`, clicks and purchases `(step, slot, ad)`, returns
/// `(user, day)` and drift `(user, day, category)`. Paired variants therefore share the timeline and the outcome
/// noise; see `EcommerceTimeline` for how churn removes page views (a batch may hold fewer decisions than steps).
public final class EcommerceEnvironment: Environment {
  public let candidateCount: Int
  public let slotCount: Int
  public let adCount: Int
  public let featureSchema: FeatureSchema
  public var outcomeColumns: OutcomeColumns { [.clicks, .conversions, .revenue, .cost, .margin, .frequency] }
  public var hasOracle: Bool { true }

  let params: Params
  let catalog: EcommerceCatalog
  let campaigns: EcommerceCampaigns
  let users: EcommerceUsers
  let timeline: EcommerceTimeline
  let ledger: EcommerceLedger
  let model: EcommerceOutcomeModel
  /// Per-ad records for the hot loops (see `EcommerceAdTable`).
  let adTable: EcommerceAdTable
  /// Users' theme tastes and ads' theme mixes; nil unless `theme_weight` > 0.
  let themeTastes: EcommerceThemeTastes?
  /// Items and campaigns arriving during the run, and which have arrived by the last served step.
  let arrivals: EcommerceArrivals
  @exclusivity(unchecked) var arrivalState: EcommerceArrivalState
  /// The catalog's titles, theme mixes and ad lines; nil unless texts are needed (`theme_weight` > 0 or `text_features`).
  let catalogText: EcommerceCatalogText?
  /// The texts' embeddings when `text_features` is on (set once by `attachTextEmbeddings`, before serving).
  private(set) var textEmbeddings: EcommerceTextEmbeddings?
  /// Dense values per decision and per candidate (the schema's widths).
  let decisionDenseColumns: Int
  let candidateDenseColumns: Int
  /// Per segment: affinity to each leaf (`segments × leaves`), and the cumulative leaf choice within each top
  /// category when browsing (`segments × leaves`, each top category's block ending at 1).
  let segmentAffinity: [Float]
  let leafCumulative: [Double]
  let keys: Keys
  /// What the last served batch computed (read back by `resolve` and `expectedOutcomes`) and serving's scratch.
  let buffers: EcommerceBuffers
  /// The user the timeline brought at the last served step, for session continuation (unchecked exclusivity: one thread per job, read
  /// per page view).
  @exclusivity(unchecked) var lastStep = -2
  @exclusivity(unchecked) var lastUser = -1
  /// Whether the last served step had a page view (its user was not away).
  @exclusivity(unchecked) var lastPresent = false

  /// The counter-based streams of the market.
  struct Keys {
    let arrival, browse, auction, creative, click, conversion, returns, drift: StreamKey
    init(_ key: StreamKey) {
      arrival = key.child("arrival")
      browse = key.child("browse")
      auction = key.child("auction")
      creative = key.child("creative")
      click = key.child("click")
      conversion = key.child("conversion")
      returns = key.child("returns")
      drift = key.child("drift")
    }
  }

  public init(_ params: Params, context: PluginContext) {
    self.params = params
    candidateCount = params.candidates
    slotCount = params.slots
    featureSchema = Self.schema(params)
    decisionDenseColumns = featureSchema.decisionDenseWidth
    candidateDenseColumns = featureSchema.candidateDenseWidth
    arrivals = EcommerceArrivals(params, horizon: context.horizon, key: context.key.child("arrivals"))
    arrivalState = EcommerceArrivalState(arrivals, leaves: params.leafCategories)
    catalog = EcommerceCatalog(params, arrivals: arrivals, key: context.key.child("catalog"))
    campaigns = EcommerceCampaigns(params, catalog: catalog, arrivals: arrivals, key: context.key.child("campaigns"))
    adCount = campaigns.count
    users = EcommerceUsers(params, key: context.key.child("users"))
    timeline = EcommerceTimeline(params, users: users)
    ledger = EcommerceLedger(adCount: campaigns.count)
    model = EcommerceOutcomeModel(params)
    adTable = EcommerceAdTable(catalog: catalog, campaigns: campaigns, params: params)
    keys = Keys(context.key)
    let adRows = adTable.rows
    let adItems = (0..<campaigns.count).map { Int(adRows[$0].itemPlusOne) - 1 }
    catalogText = params.writesText ? EcommerceCatalogText(params, catalog: catalog, adItems: adItems) : nil
    themeTastes = EcommerceThemeTastes(params, text: catalogText, adItems: adItems, key: context.key.child("themes"))
    buffers = EcommerceBuffers(params, adCount: campaigns.count)
    var stream = RandomStream(key: context.key.child("segments"))
    let leaves = params.leafCategories, sub = params.subcategories
    var affinity = [Float](repeating: 0, count: params.segments * leaves)
    var cumulative = [Double](repeating: 0, count: params.segments * leaves)
    for s in 0..<params.segments {
      for c in 0..<leaves { affinity[s * leaves + c] = Float(params.segmentAffinitySD * stream.normal()) }
      for t in 0..<params.topCategories {
        var total = 0.0
        for j in 0..<sub {
          total += AdLabMath.exp(Double(affinity[s * leaves + t * sub + j]))
          cumulative[s * leaves + t * sub + j] = total
        }
        for j in 0..<sub { cumulative[s * leaves + t * sub + j] /= total }
      }
    }
    segmentAffinity = affinity
    leafCumulative = cumulative
  }

  public func marketCounters() -> MarketCounters? { ledger.counters }

  /// Embeds the catalog's titles and ad lines with `embedder` for the text features; the market's factory calls
  /// it once, before the first batch, when `text_features` is on.
  func attachTextEmbeddings(_ embedder: any TextEmbedder) throws {
    guard let catalogText else { return }
    textEmbeddings = try EcommerceTextEmbeddings(catalogText, embedder: embedder)
  }

  /// The feature schema: the names are a contract with models and policies. With arrivals the numbers of ads and
  /// items depend on the run's length, so their cardinalities are left unknown; `item_age` is added, and with
  /// `text_features` the text embeddings (see `EcommerceEnvironment+Text.swift`).
  static func schema(_ params: Params) -> FeatureSchema {
    let known = !params.hasArrivals
    return FeatureSchema(
      categorical: [
        .init("user_id", side: .user, cardinality: params.users),
        .init("segment", side: .user, cardinality: params.segments),
        .init("hour", side: .context, cardinality: 24),
        .init("ad_id", side: .ad, cardinality: known ? params.ads : nil),
        .init("item_id", side: .ad, cardinality: known ? params.items + 1 : nil),
        .init("category", side: .ad, cardinality: params.leafCategories),
        .init("brand", side: .ad, cardinality: params.brands),
        .init("title_token_0", side: .ad),
        .init("title_token_1", side: .ad),
        .init("title_token_2", side: .ad),
        .init("creative_id", side: .ad),
      ],
      dense: [
        .init("recent_exposures", side: .context),
        .init("time_since_last_ad", side: .context),
        .init("session_depth", side: .context),
      ] + (params.textFeatures ? [.init("history_text", side: .user, width: textDimension)] : []) + [
        .init("price", side: .ad),
        .init("quality", side: .ad),
        .init("bid", side: .ad),
        .init("ad_exposures", side: .ad),
      ] + (params.hasArrivals ? [.init("item_age", side: .ad)] : [])
        + (params.textFeatures
          ? [.init("item_text", side: .ad, width: textDimension), .init("ad_text", side: .ad, width: textDimension)]
          : []),
      sequences: [.init("history", maxLength: params.history, vocabulary: known ? params.items + 1 : nil)])
  }

  /// Width of the text features (all-MiniLM-L6-v2's 384).
  static let textDimension = 384

  static let decisionCategoricalWidth = 3
  static let candidateCategoricalWidth = 8
  static let decisionDenseWidth = 3
  static let candidateDenseWidth = 4
}
