import AdLabCore

/// The memory an interest model declares: its hashed tables dominate (the MLPs are small beside them).
enum ModelMemory {
  /// A table of `buckets` rows of `floatsPerRow` Float values.
  static func table(buckets: Int, floatsPerRow: Int, _ what: String) -> MemoryNeed {
    .linear(key: "buckets", count: buckets, bytesEach: 4 * floatsPerRow, "hashed rows of \(what)")
  }

  /// An embedding table trained with Adam: the parameters, their two moments and a gradient buffer (4 × width Floats per row).
  static func adamTable(buckets: Int, width: Int) -> MemoryNeed {
    .linear(key: "buckets", count: buckets, bytesEach: 4 * 4 * width, "embedding rows with Adam moments and gradients")
  }
}
