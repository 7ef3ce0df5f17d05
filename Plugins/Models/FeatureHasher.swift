public import AdLabTensor

/// The hashing trick with a seeded hash: maps raw 64-bit ids (and crosses of them) to `buckets` rows of a
/// model's tables. Each field has its own salt derived from the model's stream key and the field's name, so
/// the same id in two fields lands in unrelated buckets, and two seeds give unrelated collisions.
///
/// ```
/// bucket(id, salt) = ⌊mix(id ⊕ salt) · buckets / 2⁶⁴⌋
/// ```
/// with AdLab's one seeded hash (`SeededHash`: SplitMix64's finaliser, then a multiply-high range reduction that
/// maps to any bucket count without modulo bias).
public struct FeatureHasher: Sendable {
  public let buckets: Int
  let key: StreamKey

  public init(key: StreamKey, buckets: Int) {
    precondition(buckets >= 1, "FeatureHasher: need at least one bucket")
    self.key = key
    self.buckets = buckets
  }

  /// The salt of a named field (or of a vocabulary shared by several fields).
  public func salt(_ name: String) -> UInt64 { key.child(name).rawValue }

  /// The bucket of `id` in the field with `salt`.
  @inline(__always)
  public func bucket(_ id: UInt64, salt: UInt64) -> Int {
    SeededHash.bucket(id, seed: salt, count: buckets)
  }

  /// The bucket of the pair (first, second) in the cross with `salt`.
  @inline(__always)
  public func bucket(_ first: UInt64, _ second: UInt64, salt: UInt64) -> Int {
    SeededHash.bucket(first, second, seed: salt, count: buckets)
  }
}
