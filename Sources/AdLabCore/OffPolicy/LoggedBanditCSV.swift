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
  /// The largest action id and slot a CSV may log: ids are stored in 32 bits, and every round carries one
  /// candidate per action, so K is bounded well below that.
  public static let maxAction = 1_000_000 - 1
  public static let maxSlot = 1_000 - 1
  /// Feature names the reader generates itself, which `category_<name>` columns must not take.
  static let generatedFeatures = ["position", "action"]

  /// Reads the rounds of `path` whose columns equal `filter` (e.g. ["variant": "random"]).
  /// - Parameters:
  ///   - actions: K, the number of candidates; nil takes the largest action + 1.
  ///   - slots: slots per round; nil takes the largest slot + 1.
  ///   - jobs: threads parsing chunks of the file (the result does not depend on it).
  ///   - cache: the columnar log cache folder (see `LogCache`); nil reads the CSV into memory every time.
  /// - Throws: `LoggedDataError` naming file, row and column for a missing or out-of-range propensity, an
  ///   unknown action, a bad number or a missing required column.
  public static func read(
    path: String, label: String? = nil, name: String, actions: Int? = nil, slots: Int? = nil,
    filter: [String: String] = [:],
    jobs: Int = ProcessInfo.processInfo.activeProcessorCount, cache: URL? = LogCache.folder()
  ) throws -> LoggedBandit {
    try segment(
      path: path, label: label, name: name, actions: actions, slots: slots, filter: filter, jobs: jobs, cache: cache
    ).materialize()
  }

  /// The rounds of `path` (see `read`) ready to stream.
  public static func segment(
    path: String, label: String? = nil, name: String, actions: Int? = nil, slots: Int? = nil,
    filter: [String: String] = [:],
    jobs: Int = ProcessInfo.processInfo.activeProcessorCount, cache: URL? = LogCache.folder()
  ) throws(LoggedDataError) -> LoggedSegment {
    let opened = try open(
      path: path, label: label, actions: actions, slots: slots, filter: filter, jobs: jobs, cache: cache)
    return LoggedSegment(
      name: name, metadata: ["dataset": "csv"].merging(filter) { $1 }, rounds: opened.rounds,
      sourceHashes: [label ?? path: opened.sha256])
  }

  /// The rounds of `path` ready to stream (see `read`), and the file's sha256: memory-mapped from the cache when
  /// `cache` is set (parsing the CSV into it on the first read), else parsed into memory.
  static func open(
    path: String, label: String?, actions: Int?, slots: Int?, filter: [String: String], jobs: Int, cache: URL?,
    chunkBytes: Int = CSVSource.defaultChunkBytes
  ) throws(LoggedDataError) -> (rounds: LogRounds, sha256: String) {
    let options =
      "csv actions=\(actions.map(String.init) ?? "auto") slots=\(slots.map(String.init) ?? "auto") filter="
      + filter.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
    let opened = try LogCache.rounds(sources: [path], options: options, cache: cache) {
      deliver throws(LoggedDataError) in
      try parse(
        path: path, label: label, actions: actions, slots: slots, filter: filter, jobs: jobs, chunkBytes: chunkBytes,
        deliver: deliver)
    }
    return (opened.rounds, opened.sha256[0])
  }

  /// Parses `path` chunk by chunk, in file order, into `deliver`, and returns how the columns become decisions.
  static func parse(
    path: String, label: String?, actions: Int?, slots: Int?, filter: [String: String], jobs: Int, chunkBytes: Int,
    deliver: (LogColumns) throws(LoggedDataError) -> Void
  ) throws(LoggedDataError) -> LogFeatures {
    let source = try CSVSource(path: path, label: label, chunkBytes: chunkBytes, jobs: jobs)
    let file = source.label, header = source.header
    let dense = header.indices.filter { header[$0].hasPrefix("context_") }
    let categorical = header.indices.filter { header[$0].hasPrefix("category_") }
    let expected = source.numberedColumns(prefix: "expected_reward_")
    for c in categorical {
      let feature = String(header[c].dropFirst("category_".count))
      if generatedFeatures.contains(feature) { throw .reservedColumn(file: file, column: header[c], feature: feature) }
    }
    var filters: [(Int, [UInt8])] = []
    for (name, value) in filter.sorted(by: { $0.key < $1.key }) {
      filters.append((try source.column(name), Array(value.utf8)))
    }
    // One expected_reward_<k> column per action tells K even when the last actions were never logged.
    let plan = GenericLogSink.Plan(
      action: try source.column("action"), reward: try source.column("reward"),
      propensity: try source.column("propensity"),
      slot: header.firstIndex(of: "slot"), dense: dense, categorical: categorical, expected: expected, filters: filters,
      actions: actions, slots: slots, derivedActions: expected.isEmpty ? nil : expected.count)

    var rounds = 0
    var largestAction: Int32 = 0, largestSlot: Int32 = 0
    try source.read(jobs: jobs, makeSink: { GenericLogSink(plan: plan) }) {
      (sink: GenericLogSink) throws(LoggedDataError) in
      guard sink.columns.count > 0 else { return }
      rounds += sink.columns.count
      largestAction = max(largestAction, sink.largestAction)
      largestSlot = max(largestSlot, sink.largestSlot)
      try deliver(sink.columns)
    }
    guard rounds > 0 else {
      throw .empty(
        file: filter.isEmpty
          ? file
          : "\(file) (rows with \(filter.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")))"
      )
    }
    let k = actions ?? (expected.isEmpty ? Int(largestAction) + 1 : expected.count)
    if !expected.isEmpty && expected.count != k {
      throw .other(
        "\(file): \(expected.count) expected_reward_<k> columns but \(k) actions; give one per action or none")
    }
    let slotCount = slots ?? Int(largestSlot) + 1
    let schema = FeatureSchema(
      categorical: categorical.map { .init(String(header[$0].dropFirst("category_".count)), side: .context) }
        + [.init("position", side: .context, cardinality: slotCount), .init("action", side: .ad, cardinality: k)],
      dense: dense.isEmpty ? [] : [.init("context", side: .context, width: dense.count)])
    return LogFeatures(
      schema: schema, candidateCount: k, slotCount: slotCount, candidateCategorical: (0..<k).map { UInt64($0) },
      candidateDense: [])
  }
}

/// Parses rows of the generic schema into columns, checking each entry as it goes.
struct GenericLogSink: CSVRowSink {
  /// Which column holds what, and the limits rows are checked against.
  struct Plan {
    var action: Int, reward: Int, propensity: Int
    var slot: Int?
    var dense: [Int], categorical: [Int], expected: [Int]
    /// Rows are kept when these columns hold exactly these bytes.
    var filters: [(Int, [UInt8])]
    /// The caller's K and slot count, if given.
    var actions: Int?, slots: Int?
    /// K told by the file itself (one expected_reward_<k> column per action), checked when the caller gave none.
    var derivedActions: Int?
  }

  let plan: Plan
  var columns: LogColumns
  var largestAction: Int32 = 0, largestSlot: Int32 = 0

  init(plan: Plan) {
    self.plan = plan
    columns = LogColumns(
      denseWidth: plan.dense.count, categoricalWidth: plan.categorical.count, expectedWidth: plan.expected.count)
  }

  mutating func consume(_ row: CSVRecordParser) throws(LoggedDataError) {
    try row.checkFieldCount()
    for (column, value) in plan.filters where !row.equals(column, value) { return }
    let file = row.file, line = row.recordLine
    let a = try row.int(plan.action)
    if a < 0 || (plan.actions.map { a >= $0 } ?? false) {
      throw .unknownAction(
        file: file, row: line, column: "action", value: row.text(plan.action), known: plan.actions ?? 0)
    }
    if a > LoggedBanditCSV.maxAction {
      throw .valueTooLarge(file: file, row: line, column: "action", value: a, limit: LoggedBanditCSV.maxAction)
    }
    if plan.actions == nil, let k = plan.derivedActions, a >= k {
      throw .other("\(file): row \(line): action \(a) but there are only \(k) actions (0…\(k - 1))")
    }
    var s = 0
    if let slot = plan.slot { s = try row.int(slot) }
    if s > LoggedBanditCSV.maxSlot {
      throw .valueTooLarge(file: file, row: line, column: "slot", value: s, limit: LoggedBanditCSV.maxSlot)
    }
    if s < 0 || (plan.slots.map { s >= $0 } ?? false) {
      throw .badSlot(file: file, row: line, column: "slot", value: s, slots: plan.slots ?? 0)
    }
    let reward = try row.double(plan.reward)
    let propensity = try row.propensity(plan.propensity)
    for c in plan.dense { columns.dense.append(Float(try row.double(c))) }
    for c in plan.categorical { columns.categorical.append(row.hash(c)) }
    for c in plan.expected { columns.expected.append(try row.double(c)) }
    columns.actions.append(Int32(a))
    columns.slots.append(Int32(s))
    columns.rewards.append(reward)
    columns.propensities.append(propensity)
    largestAction = max(largestAction, Int32(a))
    largestSlot = max(largestSlot, Int32(s))
  }
}
