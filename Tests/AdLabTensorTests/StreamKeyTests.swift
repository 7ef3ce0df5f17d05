import Testing

@testable import AdLabTensor

struct StreamKeyTests {
  @Test func sameKeyGivesSameSequence() {
    let key = StreamKey(seed: 7).child("replication").child(3).child("env")
    var first = RandomStream(key: key)
    var second = RandomStream(key: StreamKey(seed: 7).child("replication").child(3).child("env"))
    for _ in 0..<1000 {
      #expect(first.next() == second.next())
    }
  }

  @Test func differentPathsGiveDifferentKeys() {
    let root = StreamKey(seed: 42)
    let keys = [
      root, StreamKey(seed: 43), StreamKey(seed: 0), root.child("env"), root.child("policy"),
      root.child("replication").child(0), root.child("replication").child(1),
      root.child("replication").child(3).child("env"), root.child("a").child("b"), root.child("b").child("a"),
      root.child(""), root.child(0), root.child(StreamKey.fnv1a64("env".utf8)),
      root.child("env").child("env"),
    ]
    #expect(Set(keys).count == keys.count)
    #expect(root.child("a").child("b") != root.child("b").child("a"))
    #expect(root.child(5) == root.child(UInt64(5)))
    // Different keys, different sequences.
    var env = RandomStream(key: root.child("env")), policy = RandomStream(key: root.child("policy"))
    var replication0 = RandomStream(key: root.child(0)), replication1 = RandomStream(key: root.child(1))
    for _ in 0..<4 {
      #expect(env.next() != policy.next())
      #expect(replication0.next() != replication1.next())
    }
  }

  @Test func childStreamsAreUncorrelated() {
    // Pearson correlation of paired uniforms; under independence its standard error is 1/sqrt(n).
    let n = 20_000
    var a = RandomStream(key: StreamKey(seed: 1).child(0))
    var b = RandomStream(key: StreamKey(seed: 1).child(1))
    var sumAB = 0.0, sumA = 0.0, sumB = 0.0
    for _ in 0..<n {
      let x = a.uniform() - 0.5, y = b.uniform() - 0.5
      sumAB += x * y
      sumA += x
      sumB += y
    }
    let covariance = sumAB / Double(n) - (sumA / Double(n)) * (sumB / Double(n))
    let correlation = covariance * 12  // both variances are 1/12
    #expect(abs(correlation) <= RNGStats.zTolerance / Double(n).squareRoot())
  }

  @Test func nameHashIsFNV1a64() {
    // Published FNV-1a 64-bit test vectors (Fowler, Noll, Vo).
    #expect(StreamKey.fnv1a64("".utf8) == 0xcbf2_9ce4_8422_2325)
    #expect(StreamKey.fnv1a64("a".utf8) == 0xaf63_dc4c_8601_ec8c)
    #expect(StreamKey.fnv1a64("foobar".utf8) == 0x8594_4171_f739_67e8)
  }

  @Test func descriptionRoundTrips() {
    let key = StreamKey(seed: 42)
    #expect(key.description == "StreamKey(0x873f6d5ff9f01acf)")
    #expect(StreamKey(rawValue: 0x1f).description == "StreamKey(0x000000000000001f)")
  }
}
