extension Checkpoint {
  /// Adds every tensor of `other` under `prefix` + its name (several states in one file, e.g. a training run's
  /// current and best model).
  public mutating func insert(_ other: Checkpoint, prefix: String) {
    for (name, entry) in other.entries { entries[prefix + name] = entry }
  }

  /// The tensors whose names start with `prefix`, with the prefix removed.
  public func extracting(prefix: String) -> Checkpoint {
    var result = Checkpoint()
    for (name, entry) in entries where name.hasPrefix(prefix) {
      result.entries[String(name.dropFirst(prefix.count))] = entry
    }
    return result
  }
}
