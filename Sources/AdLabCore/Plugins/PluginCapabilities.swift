/// What a plugin is and what it needs, declared when it is registered (as a function of its parameters), so the
/// spec loader, the runner and the off-policy path know it without building the plugin.
public struct PluginCapabilities: Sendable, Equatable {
  /// Yes/no properties of a plugin.
  public struct Flags: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// Environment: replays logged traffic (`LoggedBanditSource`); `adlab run` evaluates it off-policy.
    public static let replaysLogs = Flags(rawValue: 1 << 0)
    /// Environment: reports `marketCounters()` (budgets, user-days, returns, exposure frequency).
    public static let marketCounters = Flags(rawValue: 1 << 1)
    /// Environment: gives `expectedOutcomes`, so regret is reported.
    public static let oracle = Flags(rawValue: 1 << 2)
    /// Interest model: fills `Predictions.conversion` (pCVR).
    public static let predictsConversions = Flags(rawValue: 1 << 3)
    /// Policy: reads the variant's interest-model predictions, so the variant must have a model.
    public static let needsModel = Flags(rawValue: 1 << 4)
    /// Policy: gives action probabilities (`ActionDistributionPolicy`), so it can be evaluated off-policy.
    public static let evaluableOffPolicy = Flags(rawValue: 1 << 5)
    /// Environment: items arrive during the run and `DecisionBatch.newItemCandidates` marks the new ones, so the
    /// `new_item_*` metrics are reported.
    public static let newItems = Flags(rawValue: 1 << 6)

    /// Every flag with its name in listings, in declaration order.
    public static let named: [(Flags, String)] = [
      (.replaysLogs, "replays_logs"), (.marketCounters, "market_counters"), (.oracle, "oracle"),
      (.predictsConversions, "predicts_conversions"), (.needsModel, "needs_model"),
      (.evaluableOffPolicy, "evaluable_off_policy"),
      (.newItems, "new_items"),
    ]
  }

  public var flags: Flags
  /// Environment: the outcome columns `resolve` fills.
  public var outcomeColumns: OutcomeColumns
  /// Environment: ad slots per decision, or nil when only the data knows (logs).
  public var slots: Int?
  /// Environment: the features it serves, or nil when only the data knows (logs); policies and models check
  /// the features their parameters name against it at spec time.
  public var featureSchema: FeatureSchema?
  /// Environment: candidates per decision and ads in all, or nil when only the data (or the run) knows; policies
  /// whose parameters give one value per item check their lengths against these at spec time.
  public var candidates: Int?
  public var ads: Int?

  public init(
    _ flags: Flags = [], outcomeColumns: OutcomeColumns = [], slots: Int? = 1, featureSchema: FeatureSchema? = nil,
    candidates: Int? = nil, ads: Int? = nil
  ) {
    self.flags = flags
    self.outcomeColumns = outcomeColumns
    self.slots = slots
    self.featureSchema = featureSchema
    self.candidates = candidates
    self.ads = ads
  }

  public func contains(_ flag: Flags) -> Bool { flags.contains(flag) }

  /// Names of the set flags and outcome columns, for `adlab plugins`.
  public var names: [String] {
    Flags.named.filter { flags.contains($0.0) }.map(\.1)
      + OutcomeColumns.named.filter { outcomeColumns.contains($0.0) }.map { "outcome:" + $0.1 }
  }

  public var json: JSONValue {
    .object([
      ("flags", .array(Flags.named.filter { flags.contains($0.0) }.map { .string($0.1) })),
      ("outcome_columns", .array(OutcomeColumns.named.filter { outcomeColumns.contains($0.0) }.map { .string($0.1) })),
      ("slots", slots.map { .int($0) } ?? .null),
    ])
  }
}

extension OutcomeColumns {
  /// Every column with its name, in declaration order.
  public static let named: [(OutcomeColumns, String)] = [
    (.clicks, "clicks"), (.conversions, "conversions"), (.revenue, "revenue"), (.cost, "cost"), (.margin, "margin"),
    (.frequency, "frequency"),
  ]
}
