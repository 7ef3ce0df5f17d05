/// The name of an independent random stream: a 64-bit Philox key derived from the master seed by a path of names
/// and indices.
///
/// Every random number in AdLab comes from a stream named by its role, never from a global generator:
/// ```swift
/// let env = StreamKey(seed: 42).child("replication").child(3).child("env")
/// var rng = RandomStream(key: env)
/// ```
/// Because a key depends only on its path, a stream is the same whatever else a run does, in whatever order and on
/// whatever thread. Paths are ordered: `child("a").child("b") != child("b").child("a")`.
///
/// ## Derivation (frozen)
/// One Philox4x32-10 block, keyed by the parent key, maps a component to the child key:
/// ```
/// counter = (component.lo32, component.hi32, tag, 0x5354_524B)      // "STRK"
/// child   = UInt64(out[1]) << 32 | UInt64(out[0])
/// ```
/// where `tag` is 1 for a seed (parent: the root key 0), 2 for a name and 3 for an index. A name's component is the
/// 64-bit FNV-1a hash of its UTF-8 bytes (offset basis 0xcbf29ce484222325, prime 0x100000001b3). The tag keeps
/// `child("x")` apart from `child(fnv1a("x"))`; the nonzero last word, whose top bit is clear, keeps derivation
/// blocks apart from every block `RandomStream` (last two words 0) and `CounterRandom` (top bit set) produce.
///
/// **This function is frozen.** Changing anything in it (constants, tags, hash, word order) changes every random
/// number of every experiment of every user, so published results could no longer be reproduced. The golden tests
/// pin it.
///
/// Names are hashed as UTF-8 bytes, not as Unicode canonical forms: keep them ASCII, since two `String`s that compare
/// equal (composed and decomposed "é") would name different streams.
public struct StreamKey: Hashable, Sendable, CustomStringConvertible {
  /// The 64-bit Philox key. Print it (or store it) to reproduce a stream without its path.
  public let rawValue: UInt64

  /// Wraps a key that was derived earlier (for example, read back from a log). Use `init(seed:)` for new roots.
  @inlinable
  public init(rawValue: UInt64) {
    self.rawValue = rawValue
  }

  /// The root key of an experiment with the given master seed.
  ///
  /// The seed goes through the derivation too, so nearby seeds (1, 2, 3) give unrelated keys.
  public init(seed: UInt64) {
    self = StreamKey(rawValue: 0).derive(component: seed, tag: StreamKey.seedTag)
  }

  /// The key of the sub-stream called `name`.
  public func child(_ name: String) -> StreamKey {
    derive(component: StreamKey.fnv1a64(name.utf8), tag: StreamKey.nameTag)
  }

  /// The key of the sub-stream with number `index` (a replication, a user, an arm, ...).
  public func child(_ index: UInt64) -> StreamKey {
    derive(component: index, tag: StreamKey.indexTag)
  }

  /// The key of the sub-stream with number `index`; same key as `child(UInt64(index))`.
  ///
  /// - Precondition: `index >= 0`.
  public func child(_ index: Int) -> StreamKey {
    precondition(index >= 0, "StreamKey.child: index must be non-negative, got \(index)")
    return child(UInt64(index))
  }

  /// `StreamKey(0x…)`, with all 16 hex digits so that it can be pasted back into `init(rawValue:)`.
  public var description: String {
    let hex = String(rawValue, radix: 16)
    return "StreamKey(0x" + String(repeating: "0", count: 16 - hex.count) + hex + ")"
  }

  /// The key as Philox's two 32-bit key words, low word first.
  @inlinable
  public var philoxKey: SIMD2<UInt32> {
    SIMD2(UInt32(truncatingIfNeeded: rawValue), UInt32(truncatingIfNeeded: rawValue &>> 32))
  }

  // MARK: - Implementation details (frozen; see the type's documentation)

  static let seedTag: UInt32 = 1
  static let nameTag: UInt32 = 2
  static let indexTag: UInt32 = 3
  /// Fourth counter word of every derivation block: ASCII "STRK", top bit clear.
  static let derivationDomain: UInt32 = 0x5354_524B

  func derive(component: UInt64, tag: UInt32) -> StreamKey {
    let counter = SIMD4(
      UInt32(truncatingIfNeeded: component), UInt32(truncatingIfNeeded: component &>> 32),
      tag, StreamKey.derivationDomain)
    let out = Philox4x32.block(counter: counter, key: philoxKey)
    return StreamKey(rawValue: UInt64(out[1]) &<< 32 | UInt64(out[0]))
  }

  /// 64-bit FNV-1a (Fowler–Noll–Vo) of a byte sequence. Weak alone, but Philox mixes its output afterwards; it only
  /// has to make distinct short names distinct, which it does with overwhelming probability.
  static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
  }
}
