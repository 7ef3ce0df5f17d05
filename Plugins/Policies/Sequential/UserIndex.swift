import AdLabTensor

/// Maps user ids to dense indices 0, 1, 2, … in order of first appearance, so per-user memory lives in plain
/// arrays: an open-addressed hash table with linear probing (no Dictionary in the per-decision loop, and no
/// dependence on hashing seeds or iteration order).
///
/// - Complexity: O(1) expected per lookup; the table doubles when half full.
struct UserIndex: Sendable {
  private var keys: [UInt64]
  private var slots: [Int32]
  private var mask: Int
  /// Users seen so far.
  private(set) var count = 0

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    keys = [UInt64](repeating: 0, count: size)
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
  }

  /// The dense index of `user`, and whether it was seen for the first time (then it is `count - 1`).
  @inline(__always)
  mutating func index(of user: UInt64) -> (index: Int, isNew: Bool) {
    var position = Self.hash(user) & mask
    while slots[position] >= 0 {
      if keys[position] == user { return (Int(slots[position]), false) }
      position = (position + 1) & mask
    }
    keys[position] = user
    slots[position] = Int32(count)
    count += 1
    if count * 2 > slots.count { grow() }
    return (count - 1, true)
  }

  /// User ids are often sequential, which linear probing needs spread out: the seeded hash's mix, offset so that
  /// id 0 does not map to 0. Only probe positions depend on it, not the dense indices handed out.
  @inline(__always)
  private static func hash(_ x: UInt64) -> Int {
    Int(truncatingIfNeeded: SeededHash.mix(x &+ 0x9E37_79B9_7F4A_7C15))
  }

  @inline(never)
  private mutating func grow() {
    let oldKeys = keys, oldSlots = slots
    keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
    slots = [Int32](repeating: -1, count: oldKeys.count * 2)
    mask = keys.count - 1
    for p in 0..<oldKeys.count where oldSlots[p] >= 0 {
      var position = Self.hash(oldKeys[p]) & mask
      while slots[position] >= 0 { position = (position + 1) & mask }
      keys[position] = oldKeys[p]
      slots[position] = oldSlots[p]
    }
  }
}
