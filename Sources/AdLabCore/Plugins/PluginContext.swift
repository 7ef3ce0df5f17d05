public import AdLabTensor

/// What a plugin factory knows about the job it makes an instance for.
public struct PluginContext: Sendable {
  /// Root of this plugin's random streams. Derived from (seed, replication, kind), deliberately not from the
  /// variant's name: identical variants then make identical draws, and paired differences come from the
  /// variants alone.
  public var key: StreamKey
  public var replication: Int
  /// Decisions in the whole replication.
  public var horizon: Int
  /// Decisions between learner updates.
  public var batchSize: Int
  /// Candidate ads per decision (known once the environment is made; 0 when making the environment).
  public var candidateCount: Int
  /// The environment's features (`.empty` when making the environment).
  public var featureSchema: FeatureSchema
  /// Ad slots per decision (1 when making the environment).
  public var slotCount: Int
  /// Distinct ads behind candidate ids (see `Environment.adCount`; 0 when making the environment).
  public var adCount: Int
  /// The variant the plugin serves ("" for the environment and outside experiments). For messages only (a
  /// process plugin names its variant in errors and in its handshake): it must not change what a plugin draws.
  public var variant: String = ""

  public init(
    key: StreamKey, replication: Int, horizon: Int, batchSize: Int, candidateCount: Int,
    featureSchema: FeatureSchema = .empty,
    slotCount: Int = 1, adCount: Int? = nil
  ) {
    self.key = key
    self.replication = replication
    self.horizon = horizon
    self.batchSize = batchSize
    self.candidateCount = candidateCount
    self.featureSchema = featureSchema
    self.slotCount = slotCount
    self.adCount = adCount ?? candidateCount
  }
}
