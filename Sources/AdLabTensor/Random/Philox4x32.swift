/// The Philox4x32-10 counter-based block function (Salmon, Moraes, Dror & Shaw, "Parallel Random Numbers:
/// As Easy as 1, 2, 3", SC'11; the Random123 library).
///
/// Philox maps a 128-bit counter and a 64-bit key to 128 pseudo-random bits. It has no state: the `n`-th output of
/// a stream is `block(counter: n, key: k)`, so any position can be computed directly, in any order, on any thread.
/// That property is what AdLab's determinism rests on (see `RandomStream` and `CounterRandom`).
///
/// Word order follows Random123: `counter[0]` and `key[0]` are the words Random123 calls `ctr.v[0]` and
/// `key.v[0]`, so the published known-answer vectors apply unchanged.
///
/// Each of the 10 rounds is
/// ```
/// (hi0, lo0) = M0 * c0        (hi1, lo1) = M1 * c2        // 32x32 -> 64-bit products
/// c = (hi1 ^ c1 ^ k0,  lo1,  hi0 ^ c3 ^ k1,  lo0)
/// ```
/// and the key is bumped by the Weyl constants `(W0, W1)` between rounds.
public enum Philox4x32 {
  /// Multiplier applied to word 0 (Random123 `PHILOX_M4x32_0`).
  @inlinable public static var multiplier0: UInt32 { 0xD251_1F53 }
  /// Multiplier applied to word 2 (Random123 `PHILOX_M4x32_1`).
  @inlinable public static var multiplier1: UInt32 { 0xCD9E_8D57 }
  /// Key increment of key word 0 between rounds: the golden ratio (Random123 `PHILOX_W32_0`).
  @inlinable public static var weyl0: UInt32 { 0x9E37_79B9 }
  /// Key increment of key word 1 between rounds: sqrt(3) - 1 (Random123 `PHILOX_W32_1`).
  @inlinable public static var weyl1: UInt32 { 0xBB67_AE85 }

  /// Computes one Philox4x32-10 block.
  ///
  /// - Parameters:
  ///   - counter: The 128-bit position, as four 32-bit words (word 0 least significant by AdLab's convention).
  ///   - key: The 64-bit key selecting the stream.
  /// - Returns: Four pseudo-random 32-bit words.
  /// - Complexity: O(1): 20 32x32->64-bit multiplications, no memory traffic.
  @inlinable
  public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
    // Plain locals (not SIMD lanes) keep every word in a scalar register; the 64-bit products give hi and lo.
    var c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3]
    var k0 = key[0], k1 = key[1]
    round(&c0, &c1, &c2, &c3, k0, k1)
    for _ in 1..<10 {
      k0 &+= weyl0
      k1 &+= weyl1
      round(&c0, &c1, &c2, &c3, k0, k1)
    }
    return SIMD4(c0, c1, c2, c3)
  }

  /// One Philox S-box/permutation round, applied in place.
  @inlinable @inline(__always)
  internal static func round(
    _ c0: inout UInt32, _ c1: inout UInt32, _ c2: inout UInt32, _ c3: inout UInt32, _ k0: UInt32, _ k1: UInt32
  ) {
    let p0 = UInt64(multiplier0) &* UInt64(c0)
    let p1 = UInt64(multiplier1) &* UInt64(c2)
    let hi0 = UInt32(truncatingIfNeeded: p0 &>> 32), lo0 = UInt32(truncatingIfNeeded: p0)
    let hi1 = UInt32(truncatingIfNeeded: p1 &>> 32), lo1 = UInt32(truncatingIfNeeded: p1)
    let n0 = hi1 ^ c1 ^ k0
    let n2 = hi0 ^ c3 ^ k1
    c0 = n0
    c1 = lo1
    c2 = n2
    c3 = lo0
  }
}

extension Philox4x32 {
  /// Four Philox4x32-10 blocks at once, in structure-of-arrays form: lane `i` of `w0...w3` is word 0...3 of the
  /// block at counter `(w0[i], w1[i], w2[i], w3[i])`. Results equal four calls of `block(counter:key:)`.
  ///
  /// One block is a chain of 10 dependent multiply rounds, so a single block leaves the CPU mostly idle; four in
  /// SIMD lanes (SSE2 `pmuludq` does two 32x32->64 products per instruction) cost little more than one.
  @inlinable
  public static func blocks(
    _ w0: inout SIMD4<UInt32>, _ w1: inout SIMD4<UInt32>, _ w2: inout SIMD4<UInt32>, _ w3: inout SIMD4<UInt32>,
    key: SIMD2<UInt32>
  ) {
    var k0 = SIMD4<UInt32>(repeating: key[0])
    var k1 = SIMD4<UInt32>(repeating: key[1])
    round4(&w0, &w1, &w2, &w3, k0, k1)
    for _ in 1..<10 {
      k0 &+= weyl0
      k1 &+= weyl1
      round4(&w0, &w1, &w2, &w3, k0, k1)
    }
  }

  /// One Philox round on four blocks held in SIMD lanes.
  @inlinable @inline(__always)
  internal static func round4(
    _ c0: inout SIMD4<UInt32>, _ c1: inout SIMD4<UInt32>, _ c2: inout SIMD4<UInt32>, _ c3: inout SIMD4<UInt32>,
    _ k0: SIMD4<UInt32>, _ k1: SIMD4<UInt32>
  ) {
    let p0 = SIMD4<UInt64>(truncatingIfNeeded: c0) &* UInt64(multiplier0)
    let p1 = SIMD4<UInt64>(truncatingIfNeeded: c2) &* UInt64(multiplier1)
    let hi0 = SIMD4<UInt32>(truncatingIfNeeded: p0 &>> 32), lo0 = SIMD4<UInt32>(truncatingIfNeeded: p0)
    let hi1 = SIMD4<UInt32>(truncatingIfNeeded: p1 &>> 32), lo1 = SIMD4<UInt32>(truncatingIfNeeded: p1)
    let n0 = hi1 ^ c1 ^ k0
    let n2 = hi0 ^ c3 ^ k1
    c0 = n0
    c1 = lo1
    c2 = n2
    c3 = lo0
  }
}
