import Foundation

/// One segment of logged traffic (e.g. an OBD campaign) ready to stream: its rounds stay in the memory-mapped
/// columnar cache (or in memory for generated logs) and are handed out as `LoggedBandit` chunks of
/// `ColumnarLogFile.groupSize` rounds, so evaluating it takes memory independent of its number of rounds.
public struct LoggedSegment: Sendable {
  /// A short name of where the rounds come from, e.g. "obd/men/random"; reports group results by it.
  public var name: String
  /// Facts about the source that evaluation policies may read and manifests record (see `LoggedBandit.metadata`).
  public var metadata: [String: String]
  var rounds: LogRounds
  /// sha256 of the files the rounds were read from, by file name (empty for generated logs).
  public var sourceHashes: [String: String]
  /// Reads the on-policy value of a behaviour from its own logs, with the sha256 of the files read; nil when the
  /// source has no such logs. Called only when an evaluation needs that truth, so logs nobody compares against are
  /// never read.
  public var onPolicyValueLoader:
    (@Sendable (String) throws(LoggedDataError) -> (value: Double, sourceHashes: [String: String])?)?

  init(
    name: String, metadata: [String: String], rounds: LogRounds, sourceHashes: [String: String] = [:],
    onPolicyValueLoader: (
      @Sendable (String) throws(LoggedDataError) -> (value: Double, sourceHashes: [String: String])?
    )? = nil
  ) {
    self.name = name
    self.metadata = metadata
    self.rounds = rounds
    self.sourceHashes = sourceHashes
    self.onPolicyValueLoader = onPolicyValueLoader
  }

  public var count: Int { rounds.count }
  public var candidateCount: Int { rounds.features.candidateCount }
  public var slotCount: Int { rounds.features.slotCount }
  public var schema: FeatureSchema { rounds.features.schema }
  /// Whether the rounds carry every candidate's expected reward (simulations), so a policy's value is exact.
  public var hasExpectedRewards: Bool { rounds.expectedWidth > 0 }

  /// Chunks of `ColumnarLogFile.groupSize` rounds.
  public var chunkCount: Int { rounds.groupCount }
  /// The first round of chunk `c`.
  public func firstRound(ofChunk c: Int) -> Int { c * ColumnarLogFile.groupSize }

  /// Chunk `c` as logged bandit feedback (its decisions numbered by their round in the segment).
  public func chunk(_ c: Int) -> LoggedBandit {
    LoggedBandit(
      name: name, metadata: metadata, columns: rounds.group(c), features: rounds.features,
      firstRound: firstRound(ofChunk: c),
      sourceHashes: sourceHashes)
  }

  /// Tells the storage a pass is done with chunk `c` (its mapped pages leave resident memory).
  public func release(chunk c: Int) { rounds.release(group: c) }

  /// Every round in memory as one `LoggedBandit` (small logs, tests, conformance checks).
  public func materialize() -> LoggedBandit {
    LoggedBandit(
      name: name, metadata: metadata, columns: rounds.all(), features: rounds.features, sourceHashes: sourceHashes)
  }

  /// The on-policy value of `behavior` read from its own logs, with the files read; nil when the source has none.
  public func onPolicyValue(_ behavior: String) throws(LoggedDataError) -> (
    value: Double, sourceHashes: [String: String]
  )? {
    try onPolicyValueLoader?(behavior)
  }
}
