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

  /// The rounds of one campaign logged by one behaviour policy, with item features per candidate.
  /// - Throws: `LoggedDataError` when a file is missing (say to run `adlab data fetch obd`) or malformed.
  public static func read(folder: String, campaign: String, behavior: String) throws -> LoggedBandit {
    let paths = files(behavior: behavior, campaign: campaign)
    let roundsPath = "\(folder)/\(paths.rounds)", itemsPath = "\(folder)/\(paths.items)"
    for path in [roundsPath, itemsPath] where !FileManager.default.fileExists(atPath: path) {
      throw LoggedDataError.missingFile(path: path, hint: "run `adlab data fetch obd` first to download the Open Bandit Dataset")
    }
    let items = try CSVTable(path: itemsPath, label: paths.items)
    let table = try CSVTable(path: roundsPath, label: paths.rounds)
    guard !table.rows.isEmpty else { throw LoggedDataError.empty(file: paths.rounds) }

    // Items: candidate index = row order of item_context.csv; item_id values map to it.
    let itemID = try items.column("item_id"), itemNumeric = try items.column("item_feature_0")
    let itemCategorical = try (1...3).map { try items.column("item_feature_\($0)") }
    let k = items.rows.count
    var indexOfItem: [Int: Int] = [:]
    for r in 0..<k { indexOfItem[try items.int(r, itemID)] = r }

    let item = try table.column("item_id"), position = try table.column("position"), click = try table.column("click")
    let propensity = try table.column("propensity_score")
    let userColumns = try (0...3).map { try table.column("user_feature_\($0)") }
    let affinity = table.numberedColumns(prefix: "user-item_affinity_")
    let schema = FeatureSchema(
      categorical: (0...3).map { .init("user_feature_\($0)", side: .user) }
        + [.init("position", side: .context, cardinality: slotCount), .init("item_id", side: .ad, cardinality: k)]
        + (1...3).map { .init("item_feature_\($0)", side: .ad) },
      dense: (affinity.isEmpty ? [] : [.init("user_item_affinity", side: .user, width: affinity.count)])
        + [.init("item_feature_0", side: .ad)])

    let n = table.rows.count
    var actions = [Int32](repeating: 0, count: n), slots = actions
    var rewards = [Double](repeating: 0, count: n), propensities = rewards
    var features = FeatureBatch()
    features.decisionCategorical.reserveCapacity(n * 5)
    features.decisionDense.reserveCapacity(n * affinity.count)
    var candidateCategorical: [UInt64] = [], candidateDense: [Float] = []
    for r in 0..<k {
      candidateCategorical.append(UInt64(try items.int(r, itemID)))
      for c in itemCategorical { candidateCategorical.append(stableID(items.rows[r][c])) }
      candidateDense.append(Float(try items.double(r, itemNumeric)))
    }
    for i in 0..<n {
      let row = table.line(i)
      let id = try table.int(i, item)
      guard let a = indexOfItem[id] else {
        throw LoggedDataError.unknownAction(file: paths.rounds, row: row, column: "item_id", value: String(table.rows[i][item]), known: k)
      }
      let p = try table.int(i, position)
      guard (1...slotCount).contains(p) else {
        throw LoggedDataError.badSlot(file: paths.rounds, row: row, column: "position", value: p - 1, slots: slotCount)
      }
      actions[i] = Int32(a)
      slots[i] = Int32(p - 1)
      rewards[i] = try table.double(i, click)
      propensities[i] = try checkedPropensity(table, i, propensity)
      for c in userColumns { features.decisionCategorical.append(stableID(table.rows[i][c])) }
      features.decisionCategorical.append(UInt64(p - 1))
      for c in affinity { features.decisionDense.append(Float(try table.double(i, c))) }
    }
    // Every round has the same candidates: the item rows repeated once per round.
    features.candidateCategorical.reserveCapacity(n * candidateCategorical.count)
    features.candidateDense.reserveCapacity(n * k)
    for _ in 0..<n {
      features.candidateCategorical.append(contentsOf: candidateCategorical)
      features.candidateDense.append(contentsOf: candidateDense)
    }
    let batch = DecisionBatch(
      steps: Array(0..<n), userIDs: (0..<n).map { UInt64($0) }, candidateCount: k, slotCount: slotCount,
      schema: schema, features: features)
    return LoggedBandit(
      name: "obd/\(campaign)/\(behavior)", metadata: ["dataset": "obd", "campaign": campaign, "behavior": behavior, "folder": folder],
      batch: batch, actions: actions, slots: slots, rewards: rewards, propensities: propensities,
      sourceHashes: [paths.rounds: try FileDigest.sha256(path: roundsPath), paths.items: try FileDigest.sha256(path: itemsPath)])
  }

  /// Mean click of a behaviour policy's own logs: its on-policy click rate per impression.
  public static func onPolicyValue(folder: String, campaign: String, behavior: String) throws -> (value: Double, sha256: String) {
    let path = "\(folder)/\(files(behavior: behavior, campaign: campaign).rounds)"
    guard FileManager.default.fileExists(atPath: path) else {
      throw LoggedDataError.missingFile(path: path, hint: "run `adlab data fetch obd` first to download the Open Bandit Dataset")
    }
    let table = try CSVTable(path: path, label: files(behavior: behavior, campaign: campaign).rounds)
    let click = try table.column("click")
    var sum = 0.0
    for i in 0..<table.rows.count { sum += try table.double(i, click) }
    return (sum / Double(max(1, table.rows.count)), try FileDigest.sha256(path: path))
  }

  /// The production Bernoulli TS policy's Beta priors for a campaign, per item in item_context order,
  /// read from `prior_bts.yaml` (a mapping campaign → alpha/beta lists).
  public static func zozotownPrior(folder: String, campaign: String) throws -> (alpha: [Double], beta: [Double]) {
    let path = "\(folder)/prior_bts.yaml"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw LoggedDataError.missingFile(path: path, hint: "run `adlab data fetch obd` first (it extracts the ZOZOTOWN prior too)")
    }
    var alpha: [Double] = [], beta: [Double] = [], current: String?, list: String?
    for line in text.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if !line.hasPrefix(" ") { current = String(trimmed.dropLast()); continue }
      if trimmed == "alpha:" || trimmed == "beta:" { list = String(trimmed.dropLast()); continue }
      guard current == campaign, trimmed.hasPrefix("- "), let value = Double(trimmed.dropFirst(2)) else { continue }
      if list == "alpha" { alpha.append(value) } else { beta.append(value) }
    }
    guard !alpha.isEmpty, alpha.count == beta.count else {
      throw LoggedDataError.other("\(path): no alpha/beta lists of equal length for campaign '\(campaign)'")
    }
    return (alpha, beta)
  }

  static func checkedPropensity(_ table: CSVTable, _ i: Int, _ column: Int) throws -> Double {
    let text = table.rows[i][column].trimmingCharacters(in: .whitespaces)
    if text.isEmpty { throw LoggedDataError.missingPropensity(file: table.file, row: table.line(i), column: table.header[column]) }
    let p = try table.double(i, column)
    guard p > 0, p <= 1 else {
      throw LoggedDataError.propensityOutOfRange(file: table.file, row: table.line(i), column: table.header[column], value: p)
    }
    return p
  }
}
