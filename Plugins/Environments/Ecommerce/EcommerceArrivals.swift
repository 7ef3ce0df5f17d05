import AdLabTensor

/// Items and campaigns that arrive during a run (`new_items_per_day`, `new_campaigns_per_day`), and the leaf
/// categories (`new_leaves`) that hold no item until arrivals fill them.
///
/// **Schedule.** Every day after the first (day 1, 2, … up to the run's last day) brings exactly
/// `new_items_per_day` items and `new_campaigns_per_day` campaigns, each at a uniform step within its day. A new
/// item's leaf is uniform over all leaves, held-back ones included, so some arrivals open categories nobody has seen.
/// A new campaign promotes an item that arrived the same day (a shop advertises its new products) and starts no
/// earlier than that item; without item arrivals it promotes a uniform item of the initial catalog. Both lists are
/// sorted by arrival, so the items (campaigns) present at a step are a prefix of the new ones: item ids
/// `items ..< items + arrived`, ad ids `ads ..< ads + launched`.
///
/// **Randomness.** Everything here comes from the stream `arrivals` of the environment, drawn once when the
/// market is built, so the schedule is the same for every variant of a replication and no other stream shifts
/// when the rates change.
struct EcommerceArrivals {
  let initialItems: Int
  let initialAds: Int
  /// Per new item (sorted by arrival): its arrival step and leaf.
  let itemStep: [Int]
  let itemLeaf: [Int]
  /// Per new campaign (sorted by launch): its launch step and the item it promotes (a global item index).
  let adStep: [Int]
  let adItem: [Int]
  /// Leaves with no item in the initial catalog (the last subcategory of each of the first `new_leaves` top categories).
  let heldBack: [Bool]

  var newItemCount: Int { itemStep.count }
  var newAdCount: Int { adStep.count }
  var isEmpty: Bool { itemStep.isEmpty && adStep.isEmpty }

  init(_ params: EcommerceEnvironment.Params, horizon: Int, key: StreamKey) {
    initialItems = params.items
    initialAds = params.ads
    let leaves = params.leafCategories, perDay = params.pageViewsPerDay
    heldBack = (0..<leaves).map { Self.isHeldBack(leaf: $0, params) }
    let days = max(1, (horizon + perDay - 1) / perDay)
    var stream = RandomStream(key: key)
    var items: [(step: Int, leaf: Int)] = []
    var ads: [(step: Int, item: Int)] = []
    for day in 1..<max(days, 1) {
      let first = items.count
      var today: [(step: Int, leaf: Int)] = []
      for _ in 0..<params.newItemsPerDay {
        today.append((day * perDay + stream.int(below: perDay), stream.int(below: leaves)))
      }
      // Sorted by step, ties by draw order, so ids follow arrival.
      items += today.enumerated().sorted { ($0.element.step, $0.offset) < ($1.element.step, $1.offset) }.map(\.element)
      var launches: [(step: Int, item: Int)] = []
      for _ in 0..<params.newCampaignsPerDay {
        let step = day * perDay + stream.int(below: perDay)
        if params.newItemsPerDay > 0 {
          let j = first + stream.int(below: params.newItemsPerDay)
          launches.append((max(step, items[j].step), params.items + j))
        } else {
          launches.append((step, stream.int(below: params.items)))
        }
      }
      ads += launches.enumerated().sorted { ($0.element.step, $0.offset) < ($1.element.step, $1.offset) }.map(\.element)
    }
    itemStep = items.map(\.step)
    itemLeaf = items.map(\.leaf)
    adStep = ads.map(\.step)
    adItem = ads.map(\.item)
  }

  /// Whether `leaf` starts empty: the last subcategory of each of the first `new_leaves` top categories.
  static func isHeldBack(leaf: Int, _ params: EcommerceEnvironment.Params) -> Bool {
    leaf % params.subcategories == params.subcategories - 1 && leaf / params.subcategories < params.newLeaves
  }

  /// The step at which item `item` (global index) arrived; initial items were there from the start.
  @inline(__always) func arrival(ofItem item: Int) -> Int {
    item < initialItems ? Int.min : itemStep[item - initialItems]
  }
}

/// Which of the arriving items and campaigns are present, advanced step by step as the market serves (steps only
/// grow), with per leaf the new items already there (`byLeaf[leaf][0 ..< arrivedInLeaf[leaf]]`) for browsing.
struct EcommerceArrivalState {
  private(set) var arrivedItems = 0
  private(set) var launchedAds = 0
  private(set) var arrivedInLeaf: [Int]
  /// New items of each leaf in arrival order (global item indices).
  let byLeaf: [[Int32]]

  init(_ arrivals: EcommerceArrivals, leaves: Int) {
    var byLeaf = [[Int32]](repeating: [], count: leaves)
    for (j, leaf) in arrivals.itemLeaf.enumerated() { byLeaf[leaf].append(Int32(arrivals.initialItems + j)) }
    self.byLeaf = byLeaf
    arrivedInLeaf = [Int](repeating: 0, count: leaves)
  }

  /// Brings in what arrived up to `step`; true when campaigns launched (retrieval lists must be rebuilt).
  mutating func advance(to step: Int, _ arrivals: EcommerceArrivals) -> Bool {
    while arrivedItems < arrivals.newItemCount && arrivals.itemStep[arrivedItems] <= step {
      arrivedInLeaf[arrivals.itemLeaf[arrivedItems]] += 1
      arrivedItems += 1
    }
    let launchedBefore = launchedAds
    while launchedAds < arrivals.newAdCount && arrivals.adStep[launchedAds] <= step { launchedAds += 1 }
    return launchedAds != launchedBefore
  }

  /// Ads present now: the initial ones and the launched new ones (a prefix of the ids).
  func activeAds(_ arrivals: EcommerceArrivals) -> Int { arrivals.initialAds + launchedAds }
}
