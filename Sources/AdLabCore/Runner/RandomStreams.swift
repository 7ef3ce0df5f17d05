public import AdLabTensor

/// The names of AdLab's random streams. Each is derived from the master seed by name, so adding a
/// stream never shifts another, and no draw depends on thread scheduling.
public enum RandomStreams {
  /// Root of replication `r`: (seed, "replication", r).
  public static func replication(seed: UInt64, _ replication: Int) -> StreamKey {
    StreamKey(seed: seed).child("replication").child(UInt64(replication))
  }

  /// The stream of a plugin kind in a replication: (seed, "replication", r, kind). Variants share it.
  public static func plugin(_ kind: PluginKind, seed: UInt64, replication: Int) -> StreamKey {
    self.replication(seed: seed, replication).child(kind.rawValue)
  }

  /// Split-mode traffic assignment of a replication: (seed, "replication", r, "assignment").
  public static func assignment(seed: UInt64, replication: Int) -> StreamKey {
    self.replication(seed: seed, replication).child("assignment")
  }
}
