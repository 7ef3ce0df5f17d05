import Foundation

/// Reads the Open Bandit Dataset (Saito et al., NeurIPS Datasets and Benchmarks 2021) as fetched by
/// `adlab data fetch obd`: the small sample shipped in obp 0.5.7, 10,000 rounds per (behaviour policy, campaign).
///
/// Layout under the dataset folder: `<behavior>/<campaign>/<campaign>.csv` (rounds: timestamp, item_id,
/// position 1–3, click, propensity_score, user_feature_0..3 as hashed strings, user-item_affinity_0..K−1) and
/// `<behavior>/<campaign>/item_context.csv` (item_id, item_feature_0 numeric, item_feature_1..3 hashed strings),
/// plus `prior_bts.yaml`, the Beta priors of the production Bernoulli TS policy.
public enum OpenBanditDataset {
  public static let campaigns = ["all", "men", "women"]
  public static let behaviors = ["random", "bts"]
  /// Recommendation slots per impression (positions 1, 2, 3 of the ZOZOTOWN interface).
  public static let slotCount = 3

  /// The files of one (behaviour, campaign), relative to the dataset folder.
  public static func files(behavior: String, campaign: String) -> (rounds: String, items: String) {
    ("\(behavior)/\(campaign)/\(campaign).csv", "\(behavior)/\(campaign)/item_context.csv")
  }

  /// The rounds of one campaign logged by one behaviour policy, with item features per candidate, in memory.
  /// - Throws: `LoggedDataError` when a file is missing (say to run `adlab data fetch obd`) or malformed.
  public static func read(
    folder: String, campaign: String, behavior: String, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
    cache: URL? = LogCache.folder()
  ) throws -> LoggedBandit {
    try segment(folder: folder, campaign: campaign, behavior: behavior, jobs: jobs, cache: cache).materialize()
  }

  /// One campaign logged by one behaviour policy, ready to stream. Behaviours' on-policy values (truths of policies
  /// that reproduce them) are read from their own logs only when an evaluation asks (`onPolicyValueLoader`).
  public static func segment(
    folder: String, campaign: String, behavior: String, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
    cache: URL? = LogCache.folder()
  ) throws(LoggedDataError) -> LoggedSegment {
    let paths = files(behavior: behavior, campaign: campaign)
    let opened = try open(folder: folder, campaign: campaign, behavior: behavior, jobs: jobs, cache: cache)
    return LoggedSegment(
      name: "obd/\(campaign)/\(behavior)",
      metadata: ["dataset": "obd", "campaign": campaign, "behavior": behavior, "folder": folder],
      rounds: opened.rounds, sourceHashes: [paths.rounds: opened.sha256[0], paths.items: opened.sha256[1]],
      onPolicyValueLoader: { other throws(LoggedDataError) in
        guard behaviors.contains(other) else { return nil }
        let own = try onPolicyValue(folder: folder, campaign: campaign, behavior: other, jobs: jobs)
        return (own.value, [files(behavior: other, campaign: campaign).rounds: own.sha256])
      })
  }

  /// One (behaviour, campaign) ready to stream, and the sha256 of its rounds and item files: memory-mapped from the
  /// columnar cache when `cache` is set (parsed into it on the first read), else parsed into memory.
  static func open(
    folder: String, campaign: String, behavior: String, jobs: Int, cache: URL?
  ) throws(LoggedDataError) -> (rounds: LogRounds, sha256: [String]) {
    let paths = files(behavior: behavior, campaign: campaign)
    let fetch = "run `adlab data fetch obd` first to download the Open Bandit Dataset"
    let roundsPath = "\(folder)/\(paths.rounds)", itemsPath = "\(folder)/\(paths.items)"
    for path in [roundsPath, itemsPath] where !FileManager.default.fileExists(atPath: path) {
      throw .missingFile(path: path, hint: fetch)
    }
    return try LogCache.rounds(sources: [roundsPath, itemsPath], options: "obd", cache: cache) {
      deliver throws(LoggedDataError) in
      try parse(folder: folder, paths: paths, jobs: jobs, deliver: deliver)
    }
  }

  /// Parses the item table, then the rounds chunk by chunk into `deliver`; returns the features. Throws `empty`
  /// for a rounds file without rows, so `deliver` is called at least once.
  private static func parse(
    folder: String, paths: (rounds: String, items: String), jobs: Int,
    deliver: (LogColumns) throws(LoggedDataError) -> Void
  ) throws(LoggedDataError) -> LogFeatures {
    let fetch = "run `adlab data fetch obd` first to download the Open Bandit Dataset"
    let roundsPath = "\(folder)/\(paths.rounds)", itemsPath = "\(folder)/\(paths.items)"
    let items = try CSVSource(path: itemsPath, label: paths.items, hint: fetch)
    let rounds = try CSVSource(path: roundsPath, label: paths.rounds, hint: fetch, jobs: jobs)

    // Items: candidate index = row order of item_context.csv; item_id values map to it.
    let itemID = try items.column("item_id"), itemNumeric = try items.column("item_feature_0")
    var itemCategorical: [Int] = []
    for c in 1...3 { itemCategorical.append(try items.column("item_feature_\(c)")) }
    var candidateCategorical: [UInt64] = [], candidateDense: [Float] = [], ids: [Int] = []
    try items.forEachRecord { row throws(LoggedDataError) in
      try row.checkFieldCount()
      let id = try row.int(itemID)
      guard (0...maxItemID).contains(id) else {
        throw .valueTooLarge(file: paths.items, row: row.recordLine, column: "item_id", value: id, limit: maxItemID)
      }
      ids.append(id)
      candidateCategorical.append(UInt64(id))
      for c in itemCategorical { candidateCategorical.append(row.hash(c)) }
      candidateDense.append(Float(try row.double(itemNumeric)))
      return true
    }
    let k = ids.count
    var indexOfItem = [Int32](repeating: -1, count: (ids.max() ?? 0) + 1)
    for (index, id) in ids.enumerated() { indexOfItem[id] = Int32(index) }

    var users: [Int] = []
    for c in 0...3 { users.append(try rounds.column("user_feature_\(c)")) }
    let affinity = rounds.numberedColumns(prefix: "user-item_affinity_")
    let plan = OpenBanditSink.Plan(
      item: try rounds.column("item_id"), position: try rounds.column("position"), click: try rounds.column("click"),
      propensity: try rounds.column("propensity_score"), users: users, affinity: affinity, indexOfItem: indexOfItem,
      items: k)
    var count = 0
    try rounds.read(jobs: jobs, makeSink: { OpenBanditSink(plan: plan) }) {
      (sink: OpenBanditSink) throws(LoggedDataError) in
      guard sink.columns.count > 0 else { return }
      count += sink.columns.count
      try deliver(sink.columns)
    }
    guard count > 0 else { throw .empty(file: paths.rounds) }
    let schema = FeatureSchema(
      categorical: (0...3).map { .init("user_feature_\($0)", side: .user) }
        + [.init("position", side: .context, cardinality: slotCount), .init("item_id", side: .ad, cardinality: k)]
        + (1...3).map { .init("item_feature_\($0)", side: .ad) },
      dense: (affinity.isEmpty ? [] : [.init("user_item_affinity", side: .user, width: affinity.count)])
        + [.init("item_feature_0", side: .ad)])
    return LogFeatures(
      schema: schema, candidateCount: k, slotCount: slotCount, candidateCategorical: candidateCategorical,
      candidateDense: candidateDense)
  }

  /// The largest item id an item table may hold (ids index a lookup table).
  static let maxItemID = 1_000_000

  /// Mean click of a behaviour policy's own logs: its on-policy click rate per impression.
  public static func onPolicyValue(
    folder: String, campaign: String, behavior: String, jobs: Int = ProcessInfo.processInfo.activeProcessorCount
  ) throws(LoggedDataError) -> (value: Double, sha256: String) {
    let label = files(behavior: behavior, campaign: campaign).rounds
    let source = try CSVSource(
      path: "\(folder)/\(label)", label: label,
      hint: "run `adlab data fetch obd` first to download the Open Bandit Dataset", jobs: jobs)
    let click = try source.column("click")
    var clicks: [Double] = []
    try source.read(jobs: jobs, makeSink: { ColumnSink(column: click) }) { (sink: ColumnSink) throws(LoggedDataError) in
      clicks += sink.values
    }
    // Summed in file order, as the rewards' mean is, so the random logs' own value equals their logged value.
    let sum = clicks.reduce(0, +)
    return (sum / Double(max(1, clicks.count)), try FileDigest.sha256(path: "\(folder)/\(label)"))
  }

  /// The production Bernoulli TS policy's Beta priors for a campaign, per item in item_context order,
  /// read from `prior_bts.yaml` (a mapping campaign → alpha/beta lists).
  public static func zozotownPrior(folder: String, campaign: String) throws -> (alpha: [Double], beta: [Double]) {
    let path = "\(folder)/prior_bts.yaml"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw LoggedDataError.missingFile(
        path: path, hint: "run `adlab data fetch obd` first (it extracts the ZOZOTOWN prior too)")
    }
    var alpha: [Double] = [], beta: [Double] = [], current: String?, list: String?
    for line in text.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if !line.hasPrefix(" ") {
        current = String(trimmed.dropLast())
        continue
      }
      if trimmed == "alpha:" || trimmed == "beta:" {
        list = String(trimmed.dropLast())
        continue
      }
      guard current == campaign, trimmed.hasPrefix("- "), let value = Double(trimmed.dropFirst(2)) else { continue }
      if list == "alpha" { alpha.append(value) } else { beta.append(value) }
    }
    guard !alpha.isEmpty, alpha.count == beta.count else {
      throw LoggedDataError.other("\(path): no alpha/beta lists of equal length for campaign '\(campaign)'")
    }
    return (alpha, beta)
  }
}

/// Parses OBD round rows into columns: the logged item as its candidate index, position 1–3 as slot 0–2.
struct OpenBanditSink: CSVRowSink {
  struct Plan {
    var item: Int, position: Int, click: Int, propensity: Int
    var users: [Int], affinity: [Int]
    /// Candidate index of each item id (−1: not in the item table).
    var indexOfItem: [Int32]
    var items: Int
  }

  let plan: Plan
  var columns: LogColumns

  init(plan: Plan) {
    self.plan = plan
    columns = LogColumns(denseWidth: plan.affinity.count, categoricalWidth: plan.users.count, expectedWidth: 0)
  }

  mutating func consume(_ row: CSVRecordParser) throws(LoggedDataError) {
    try row.checkFieldCount()
    let id = try row.int(plan.item)
    let a = id >= 0 && id < plan.indexOfItem.count ? Int(plan.indexOfItem[id]) : -1
    guard a >= 0 else {
      throw .unknownAction(
        file: row.file, row: row.recordLine, column: "item_id", value: row.text(plan.item), known: plan.items)
    }
    let p = try row.int(plan.position)
    guard (1...OpenBanditDataset.slotCount).contains(p) else {
      throw .badSlot(
        file: row.file, row: row.recordLine, column: "position", value: p - 1, slots: OpenBanditDataset.slotCount)
    }
    let reward = try row.double(plan.click)
    let propensity = try row.propensity(plan.propensity)
    for c in plan.users { columns.categorical.append(row.hash(c)) }
    for c in plan.affinity { columns.dense.append(Float(try row.double(c))) }
    columns.actions.append(Int32(a))
    columns.slots.append(Int32(p - 1))
    columns.rewards.append(reward)
    columns.propensities.append(propensity)
  }
}

/// Collects one numeric column.
struct ColumnSink: CSVRowSink {
  let column: Int
  var values: [Double] = []

  mutating func consume(_ row: CSVRecordParser) throws(LoggedDataError) {
    try row.checkFieldCount()
    values.append(try row.double(column))
  }
}
