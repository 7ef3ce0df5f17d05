import Foundation

/// AdLab's generic logged-bandit CSV schema (documented in docs/logged-data.md), which decision logs of
/// simulated runs (`log: decisions`) also use:
///
/// | column | required | meaning |
/// |---|---|---|
/// | `action` | yes | the shown candidate, an integer in 0..<K |
/// | `reward` | yes | the observed reward (a click is 0/1) |
/// | `propensity` | yes | the logging policy's probability of that action in that slot, in (0, 1] |
/// | `slot` | no | the slot it was shown in, 0-based (default 0) |
/// | `context_<name>` | no | a numeric context feature |
/// | `category_<name>` | no | a categorical context feature (any text; hashed) |
/// | `expected_reward_<k>` | no | the true expected reward of candidate k in that round and slot (simulations), for exact truth |
///
/// Other columns (step, user, variant, replication, click, candidates) are kept in the file for people and ignored.
public enum LoggedBanditCSV {
  /// Reads the rounds of `path` whose columns equal `filter` (e.g. ["variant": "random"]).
  /// - Parameters:
  ///   - actions: K, the number of candidates; nil takes the largest action + 1.
  ///   - slots: slots per round; nil takes the largest slot + 1.
  /// - Throws: `LoggedDataError` naming file, row and column for a missing or out-of-range propensity, an
  ///   unknown action, a bad number or a missing required column.
  /// The largest action id and slot a CSV may log: ids are stored in 32 bits, and every round carries one
  /// candidate per action, so K is bounded well below that.
  public static let maxAction = 1_000_000 - 1
  public static let maxSlot = 1_000 - 1
  /// Feature names the reader generates itself, which `category_<name>` columns must not take.
  static let generatedFeatures = ["position", "action"]

  public static func read(
    path: String, label: String? = nil, name: String, actions: Int? = nil, slots: Int? = nil, filter: [String: String] = [:]
  ) throws -> LoggedBandit {
    let table = try CSVTable(path: path, label: label)
    let file = table.file
    let action = try table.column("action"), reward = try table.column("reward"), propensity = try table.column("propensity")
    let slot = table.header.firstIndex(of: "slot")
    let dense = table.header.indices.filter { table.header[$0].hasPrefix("context_") }
    let categorical = table.header.indices.filter { table.header[$0].hasPrefix("category_") }
    let expected = table.numberedColumns(prefix: "expected_reward_")
    for c in categorical {
      let feature = String(table.header[c].dropFirst("category_".count))
      if generatedFeatures.contains(feature) { throw LoggedDataError.reservedColumn(file: file, column: table.header[c], feature: feature) }
    }
    let filters = try filter.sorted { $0.key < $1.key }.map { (try table.column($0.key), $0.value) }
    let rows = table.rows.indices.filter { r in filters.allSatisfy { table.rows[r][$0.0] == $0.1 } }
    guard !rows.isEmpty else {
      throw LoggedDataError.empty(file: filter.isEmpty ? file : "\(file) (rows with \(filter.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")))")
    }

    var logged = [Int32](), loggedSlots = [Int32](), rewards = [Double](), propensities = [Double]()
    var features = FeatureBatch(), truth = [Double]()
    for r in rows {
      let a = try table.int(r, action)
      if a < 0 || (actions.map { a >= $0 } ?? false) {
        throw LoggedDataError.unknownAction(file: file, row: table.line(r), column: "action", value: String(table.rows[r][action]), known: actions ?? 0)
      }
      if a > maxAction {
        throw LoggedDataError.valueTooLarge(file: file, row: table.line(r), column: "action", value: a, limit: maxAction)
      }
      let s = try slot.map { try table.int(r, $0) } ?? 0
      if s > maxSlot { throw LoggedDataError.valueTooLarge(file: file, row: table.line(r), column: "slot", value: s, limit: maxSlot) }
      if s < 0 || (slots.map { s >= $0 } ?? false) {
        throw LoggedDataError.badSlot(file: file, row: table.line(r), column: "slot", value: s, slots: slots ?? 0)
      }
      logged.append(Int32(a))
      loggedSlots.append(Int32(s))
      rewards.append(try table.double(r, reward))
      propensities.append(try OpenBanditDataset.checkedPropensity(table, r, propensity))
      for c in dense { features.decisionDense.append(Float(try table.double(r, c))) }
      for c in categorical { features.decisionCategorical.append(stableID(table.rows[r][c])) }
      for c in expected { truth.append(try table.double(r, c)) }
    }
    // One expected_reward_<k> column per action tells K even when the last actions were never logged.
    let k = actions ?? (expected.isEmpty ? Int(logged.max() ?? 0) + 1 : expected.count)
    if let row = logged.firstIndex(where: { Int($0) >= k }) {
      throw LoggedDataError.other("\(file): row \(table.line(row)): action \(logged[row]) but there are only \(k) actions (0…\(k - 1))")
    }
    if !expected.isEmpty && expected.count != k {
      throw LoggedDataError.other("\(file): \(expected.count) expected_reward_<k> columns but \(k) actions; give one per action or none")
    }
    let slotCount = slots ?? Int(loggedSlots.max() ?? 0) + 1
    let n = rows.count
    features.decisionCategorical = interleave(features.decisionCategorical, slots: loggedSlots, width: categorical.count)
    features.candidateCategorical = (0..<n).flatMap { _ in (0..<k).map { UInt64($0) } }
    let schema = FeatureSchema(
      categorical: categorical.map { .init(String(table.header[$0].dropFirst("category_".count)), side: .context) }
        + [.init("position", side: .context, cardinality: slotCount), .init("action", side: .ad, cardinality: k)],
      dense: dense.isEmpty ? [] : [.init("context", side: .context, width: dense.count)])
    let batch = DecisionBatch(
      steps: Array(0..<n), userIDs: (0..<n).map { UInt64($0) }, candidateCount: k, slotCount: slotCount,
      schema: schema, features: features)
    return LoggedBandit(
      name: name, metadata: ["dataset": "csv"].merging(filter) { $1 }, batch: batch, actions: logged, slots: loggedSlots,
      rewards: rewards, propensities: propensities, expectedRewards: expected.isEmpty ? nil : truth,
      sourceHashes: [file: try FileDigest.sha256(path: path)])
  }

  /// Appends the logged slot after each row's categorical context fields (the schema's `position` field).
  static func interleave(_ values: [UInt64], slots: [Int32], width: Int) -> [UInt64] {
    var out: [UInt64] = []
    out.reserveCapacity(slots.count * (width + 1))
    for i in slots.indices {
      out.append(contentsOf: values[(i * width)..<((i + 1) * width)])
      out.append(UInt64(slots[i]))
    }
    return out
  }
}
