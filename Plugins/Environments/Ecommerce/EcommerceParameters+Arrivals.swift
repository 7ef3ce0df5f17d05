import AdLabCore

extension EcommerceEnvironment.Params {
  /// Items and campaigns arriving during the run, and the text features (`EcommerceArrivals`, `EcommerceCatalogText`).
  static var arrivals: [ParameterField<Self>] {
    [
      .init(
        "new_items_per_day", \.newItemsPerDay,
        doc: "items added to the catalog on each day after the first, at uniform times (0: a fixed catalog)",
        .range(0...100_000)),
      .init(
        "new_campaigns_per_day", \.newCampaignsPerDay,
        doc:
          "campaigns launched on each day after the first, each promoting an item that arrived that day (or an initial item when none arrive)",
        .range(0...10_000)),
      .init(
        "new_leaves", \.newLeaves,
        doc:
          "leaf categories with no initial item (the last subcategory of each of the first new_leaves top categories): only arriving items fill them",
        .range(0...256)),
      .init(
        "new_item_days", \.newItemDays,
        doc: "an arrived item counts as new for this many days (the new_item_* metrics)", .greaterThan(0)),
      .init(
        "text_features", \.textFeatures,
        doc:
          "serve item_text and ad_text (per candidate) and history_text (mean over the user's recent items) as all-MiniLM-L6-v2 embeddings; needs `adlab models fetch minilm`"
      ),
      .init(
        "text_seed", \.textSeed,
        doc:
          "seed of the catalog's texts (titles, themes, ad lines); shared by every replication so each text is embedded once",
        .range(0...Int(Int32.max))),
    ]
  }

  /// Whether items or campaigns arrive during the run.
  var hasArrivals: Bool { newItemsPerDay > 0 || newCampaignsPerDay > 0 }

  /// Whether the catalog's texts are written (for the click model's themes or for the text features).
  var writesText: Bool { themeWeight > 0 || textFeatures }

  func arrivalProblems() -> [String] {
    var problems: [String] = []
    if newLeaves > 0 && subcategories < 2 {
      problems.append(
        "new_leaves (\(newLeaves)) needs subcategories ≥ 2: a top category keeps at least one stocked leaf")
    }
    if newLeaves > topCategories {
      problems.append(
        "new_leaves (\(newLeaves)) must be at most top_categories (\(topCategories)): one held-back leaf per top category"
      )
    }
    if newLeaves > 0 && newItemsPerDay == 0 {
      problems.append("new_leaves (\(newLeaves)) needs new_items_per_day > 0: nothing else fills the held-back leaves")
    }
    return problems
  }
}
