/// Everything an off-policy evaluation produced: per segment of logs (e.g. an OBD campaign), per variant, one
/// estimate per estimator, with the truth where it is known.
public struct OffPolicyResult: Sendable {
  /// One variant's policy evaluated on one segment of logs.
  public struct VariantResult: Sendable {
    public var variant: String
    public var policy: String
    /// The policy's true value on these logs, when known: exact for simulated logs with expected rewards, or
    /// the on-policy value of the behaviour policy it reproduces (`truthSource` says which).
    public var truth: Double?
    public var truthSource: String?
    public var estimates: [OffPolicyEstimate]
    /// sha256 of the files the truth was read from, when reading it took more than the segment's own logs.
    public var truthSourceHashes: [String: String] = [:]
  }

  /// One segment of logs and every variant's evaluation on it.
  public struct SegmentResult: Sendable {
    public var name: String
    public var rounds: Int
    public var candidates: Int
    public var slots: Int
    /// Mean logged reward: the behaviour policy's own value.
    public var loggedValue: Double
    public var metadata: [String: String]
    public var sourceHashes: [String: String]
    public var variants: [VariantResult]
  }

  public var spec: ExperimentSpec
  public var settings: EvaluationSettings
  public var segments: [SegmentResult]

  /// Every dataset file's sha256, by file name, over all segments.
  public var sourceHashes: [String: String] {
    segments.reduce(into: [:]) { all, segment in all.merge(segment.sourceHashes) { a, _ in a } }
  }
}
