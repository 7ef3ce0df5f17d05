/// A deterministic random number generator: the Philox4x32-10 blocks of one `StreamKey` at counters 0, 1, 2, ...
///
/// A stream is a small value (112 bytes): copying it forks an identical sequence, and it never allocates.
/// Words are served in order: word 0, 1, 2, 3 of block 0, then of block 1, and so on. `next()` takes the next two
/// words (low word first), even when they straddle two blocks, so no word is skipped. Blocks are computed four at a
/// time (`Philox4x32.blocks`, in SIMD lanes, about twice the throughput of one at a time); that buffering is invisible
/// in the output, which is the same as computing each block on its own.
///
/// Block `n` uses the counter `(n.lo32, n.hi32, 0, 0)`; those last two zero words keep it apart from the blocks used
/// by `StreamKey` derivation and `CounterRandom`, so a stream never repeats another API's numbers under the same key.
///
/// Every mapping from bits to numbers (`uniform`, `int(below:)`, `normal`, `shuffle`, ...) is AdLab's own and
/// documented, so results stay identical across Swift versions. Prefer them to the standard library's
/// `Int.random(in:using:)` or `shuffled(using:)`, whose algorithms "may change in a future version of Swift".
public struct RandomStream: RandomNumberGenerator, Sendable {
  /// The key this stream was created with.
  public let key: StreamKey
  @usableFromInline internal let philoxKey: SIMD2<UInt32>
  /// Counter of the next block to compute.
  @usableFromInline internal var nextBlock: UInt64
  /// The words of four consecutive blocks, in output order.
  @usableFromInline internal var words: SIMD16<UInt32>
  /// How many words of `words` are used; 16 means the buffer is empty.
  @usableFromInline internal var used: Int

  /// A stream at the start (counter 0) of `key`.
  @inlinable
  public init(key: StreamKey) {
    self.key = key
    self.philoxKey = key.philoxKey
    self.nextBlock = 0
    self.words = .zero
    self.used = 16
  }

  // MARK: - Raw bits

  /// The next 32 random bits.
  @inlinable
  public mutating func nextUInt32() -> UInt32 {
    if used == 16 { refill() }
    let word = withUnsafeBytes(of: &words) { $0.load(fromByteOffset: used &* 4, as: UInt32.self) }
    used &+= 1
    return word
  }

  /// The next 64 random bits: the next two words, the first one in the low half.
  @inlinable
  public mutating func next() -> UInt64 {
    if used <= 14 {
      // Reading the buffer's memory in place: a dynamic SIMD subscript would copy all 64 bytes to the stack.
      #if _endian(little)
        let value = withUnsafeBytes(of: &words) { $0.loadUnaligned(fromByteOffset: used &* 4, as: UInt64.self) }
      #else
        let value = withUnsafeBytes(of: &words) {
          UInt64($0.load(fromByteOffset: used &* 4 &+ 4, as: UInt32.self)) &<< 32
            | UInt64($0.load(fromByteOffset: used &* 4, as: UInt32.self))
        }
      #endif
      used &+= 2
      return value
    }
    return nextStraddling()
  }

  /// Slow path of `next()`: the two words come from different blocks (or the buffer is empty).
  @inlinable @inline(never)
  internal mutating func nextStraddling() -> UInt64 {
    let low = nextUInt32()
    let high = nextUInt32()
    return UInt64(high) &<< 32 | UInt64(low)
  }

  /// Computes the next four blocks into the buffer.
  @inlinable @inline(never)
  internal mutating func refill() {
    let n0 = nextBlock, n1 = nextBlock &+ 1, n2 = nextBlock &+ 2, n3 = nextBlock &+ 3
    var w0 = SIMD4(
      UInt32(truncatingIfNeeded: n0), UInt32(truncatingIfNeeded: n1),
      UInt32(truncatingIfNeeded: n2), UInt32(truncatingIfNeeded: n3))
    var w1 = SIMD4(
      UInt32(truncatingIfNeeded: n0 &>> 32), UInt32(truncatingIfNeeded: n1 &>> 32),
      UInt32(truncatingIfNeeded: n2 &>> 32), UInt32(truncatingIfNeeded: n3 &>> 32))
    var w2 = SIMD4<UInt32>.zero
    var w3 = SIMD4<UInt32>.zero
    Philox4x32.blocks(&w0, &w1, &w2, &w3, key: philoxKey)
    // Structure of arrays (lane = block) to output order (block by block).
    words = SIMD16(
      w0[0], w1[0], w2[0], w3[0], w0[1], w1[1], w2[1], w3[1],
      w0[2], w1[2], w2[2], w3[2], w0[3], w1[3], w2[3], w3[3])
    nextBlock &+= 4
    used = 0
  }

  // MARK: - Uniform numbers

  /// A uniform `Double` in [0, 1): the top 53 bits of `next()` times 2⁻⁵³, so every value is a multiple of 2⁻⁵³.
  @inlinable
  public mutating func uniform() -> Double {
    Double(next() &>> 11) * 0x1p-53
  }

  /// A uniform `Double` in the open interval (0, 1), safe for `log`: (top 52 bits + ½) · 2⁻⁵².
  ///
  /// Values lie in [2⁻⁵³, 1 − 2⁻⁵³]. Only 52 bits are used because with 53 the largest value would round to 1.
  @inlinable
  public mutating func uniformOpen() -> Double {
    (Double(next() &>> 12) + 0.5) * 0x1p-52
  }

  /// A uniform `Float` in [0, 1): the top 24 bits of `nextUInt32()` times 2⁻²⁴.
  @inlinable
  public mutating func uniformFloat() -> Float {
    Float(nextUInt32() &>> 8) * 0x1p-24
  }

  /// A uniform `Double` in `range` (lower + width · `uniform()`), never equal to `range.upperBound`.
  ///
  /// - Precondition: the range is non-empty and its bounds and width are finite.
  @inlinable
  public mutating func uniform(in range: Range<Double>) -> Double {
    let width = range.upperBound - range.lowerBound
    precondition(
      range.lowerBound.isFinite && width.isFinite && width > 0,
      "RandomStream.uniform(in:): range must be non-empty and finite, got \(range)")
    let value = range.lowerBound + width * uniform()
    // Rounding can land exactly on the upper bound when the width is much smaller than the bounds.
    return value < range.upperBound ? value : range.upperBound.nextDown
  }

  /// Fills `buffer` with `uniform()` values, in order; the same numbers as calling `uniform()` `buffer.count` times.
  public mutating func fillUniform(into buffer: UnsafeMutableBufferPointer<Double>) {
    var stream = self  // a local copy stays in registers; `self` is behind a pointer
    for index in buffer.indices {
      buffer[index] = stream.uniform()
    }
    self = stream
  }

  // MARK: - Integers and coins

  /// A uniform integer in `0..<n`, exactly unbiased.
  ///
  /// Lemire's multiply-and-reject ("Fast Random Integer Generation in an Interval", 2019): the high word of
  /// `next() * n` is the result, and the rare draws whose low word falls below `2⁶⁴ mod n` are redrawn. The
  /// modulo is computed only when the low word is below `n`, which is rare for small `n`.
  ///
  /// - Precondition: `n > 0`.
  @inlinable
  public mutating func int(below n: Int) -> Int {
    precondition(n > 0, "RandomStream.int(below:): n must be positive, got \(n)")
    let bound = UInt64(n)
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound  // 2⁶⁴ mod n
      while product.low < threshold {
        product = next().multipliedFullWidth(by: bound)
      }
    }
    return Int(truncatingIfNeeded: product.high)
  }

  /// `true` with probability `p`: `uniform() < p`. Uses one `next()` even when `p` is 0 or 1, so the position in
  /// the stream does not depend on `p`.
  ///
  /// - Precondition: `0 <= p <= 1`.
  @inlinable
  public mutating func bernoulli(_ p: Double) -> Bool {
    precondition(p >= 0 && p <= 1, "RandomStream.bernoulli: p must be in [0, 1], got \(p)")
    return uniform() < p
  }
}
