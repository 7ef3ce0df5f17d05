/// AdLab's one seeded hash, for everything that maps ids to buckets or slots (feature hashing, hashed policy
/// weights, open-addressed user tables): not a random stream, but it must be as reproducible as one.
///
/// ```
/// mix(x)               = SplitMix64's finaliser of x (a bijection on 64 bits; every output bit depends on every input bit)
/// bucket(x, seed, n)   = ⌊mix(x ⊕ seed) · n / 2⁶⁴⌋
/// ```
/// The range reduction is the high word of a 64 × 64-bit product: it uses the mixed value's high bits and has no
/// modulo bias, for any `n`. Changing either formula changes every result that hashes.
public enum SeededHash {
  @inlinable @inline(__always)
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z &>> 31)
  }

  /// `value`'s bucket in `0 ..< count` under `seed`. `count` must be at least 1.
  @inlinable @inline(__always)
  public static func bucket(_ value: UInt64, seed: UInt64, count: Int) -> Int {
    Int(truncatingIfNeeded: mix(value ^ seed).multipliedFullWidth(by: UInt64(truncatingIfNeeded: count)).high)
  }

  /// The bucket of the pair (first, second) under `seed`: the first is mixed in before the second, so (a, b) and
  /// (b, a) land apart.
  @inlinable @inline(__always)
  public static func bucket(_ first: UInt64, _ second: UInt64, seed: UInt64, count: Int) -> Int {
    bucket(mix(first ^ seed) ^ second, seed: seed, count: count)
  }
}
