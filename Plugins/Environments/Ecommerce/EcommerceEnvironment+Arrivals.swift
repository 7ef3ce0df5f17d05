import AdLabCore

extension EcommerceEnvironment {
  /// Lets in the items and campaigns that arrived up to `step`; launched campaigns get their day's budget.
  func admitArrivals(upTo step: Int) {
    let before = arrivalState.activeAds(arrivals)
    if arrivalState.advance(to: step, arrivals) {
      ledger.launch(before..<arrivalState.activeAds(arrivals), campaigns: campaigns)
    }
  }

  /// The item a uniform draw `uniform` picks among those present in `leaf` (initial ones first, then arrivals in
  /// arrival order). A held-back leaf nothing has arrived in yet is browsed as its stocked neighbour (the
  /// subcategory before it, in the same top category).
  @inline(__always) func browsedItem(leaf chosen: Int, uniform: Double) -> Int {
    var leaf = chosen
    if catalog.members(ofLeaf: leaf) + arrivalState.arrivedInLeaf[leaf] == 0 { leaf -= 1 }
    let initial = catalog.members(ofLeaf: leaf), total = initial + arrivalState.arrivedInLeaf[leaf]
    let j = min(Int(uniform * Double(total)), total - 1)
    return j < initial ? catalog.item(leaf: leaf, member: j) : Int(arrivalState.byLeaf[leaf][j - initial])
  }

  /// Items older than this many days (and the initial catalog) all have `item_age` = this cap.
  static let itemAgeCap: Float = 30

  /// The candidate's dense values after the four base ones: `item_age` when items arrive, then `item_text` and
  /// `ad_text`; and whether its item is new (arrived during the run, younger than `new_item_days`).
  @inline(__always) func writeArrivalAndText(
    ad: Int, item: Int, step: Int, into values: UnsafeMutablePointer<Float>, isNew: UnsafeMutablePointer<Bool>
  ) {
    var next = 0
    if params.hasArrivals {
      let arrival = arrivals.arrival(ofItem: item)
      let age =
        arrival == Int.min
        ? Self.itemAgeCap : min(Float(step - arrival) / Float(params.pageViewsPerDay), Self.itemAgeCap)
      values[0] = age
      isNew.pointee = arrival != Int.min && Double(step - arrival) < params.newItemDays * Double(params.pageViewsPerDay)
      next = 1
    }
    guard let textEmbeddings else { return }
    let d = textEmbeddings.dimension
    (values + next).update(from: textEmbeddings.items + item * d, count: d)
    (values + next + d).update(from: textEmbeddings.ads + ad * d, count: d)
  }

  /// `history_text`: the mean embedding of the titles of the user's recent items (the behaviour sequence, ids + 1),
  /// or zeros for a user without history.
  @inline(__always) func writeHistoryText(
    _ text: EcommerceTextEmbeddings, into values: UnsafeMutablePointer<Float>, history: UnsafeMutablePointer<UInt64>,
    count: Int
  ) {
    let d = text.dimension
    values.update(repeating: 0, count: d)
    guard count > 0 else { return }
    for j in 0..<count {
      let row = text.items + (Int(history[j]) - 1) * d
      for x in 0..<d { values[x] += row[x] }
    }
    let scale = 1 / Float(count)
    for x in 0..<d { values[x] *= scale }
  }
}

extension EcommerceEnvironment {
  /// The market with its text embeddings attached when `text_features` is on.
  static func make(_ params: Params, context: PluginContext, textEmbedder: (any TextEmbedder)?) throws
    -> EcommerceEnvironment
  {
    let environment = EcommerceEnvironment(params, context: context)
    if params.textFeatures {
      if let problem = textProblems(params, embedder: textEmbedder).first {
        throw PluginError.invalidParameters(problem.message)
      }
      if let textEmbedder { try environment.attachTextEmbeddings(textEmbedder) }
    }
    return environment
  }

  /// Spec-time check: text features need an embedder that can run here (the model is cached).
  static func textProblems(_ params: Params, embedder: (any TextEmbedder)?) -> [PluginProblem] {
    guard params.textFeatures else { return [] }
    guard let embedder else {
      return [PluginProblem(key: "text_features", "this build of adlab registered the market without a text embedder")]
    }
    guard let reason = embedder.unavailableReason() else { return [] }
    return [PluginProblem(key: "text_features", reason)]
  }
}
