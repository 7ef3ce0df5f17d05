import AdLabTensor
import Testing

struct CounterRandomTests {
  let key = StreamKey(seed: 42).child("noise")

  @Test func valuesDoNotDependOnQueryOrder() {
    let first = (CounterRandom.uniform(key: key, 5, 3), CounterRandom.uniform(key: key, 1, 2))
    let secondB = CounterRandom.uniform(key: key, 1, 2)
    let secondA = CounterRandom.uniform(key: key, 5, 3)
    #expect(first.0 == secondA)
    #expect(first.1 == secondB)
    #expect(first.0 != first.1)
  }

  @Test func batchedFillEqualsSingleCalls() {
    for count in [0, 1, 2, 7, 8, 9, 17, 64] {
      var buffer = [Double](repeating: .nan, count: count + 3)
      buffer.withUnsafeMutableBufferPointer { CounterRandom.uniforms(key: key, a: 11, count: count, into: $0) }
      for b in 0..<count {
        #expect(buffer[b] == CounterRandom.uniform(key: key, 11, UInt64(b)))
      }
      #expect(buffer[count...].allSatisfy { $0.isNaN }, "writes past count")
    }
  }

  @Test func gatheredFillEqualsSingleCalls() {
    // Arbitrary, unsorted, repeated and odd/even second coordinates, including ones above 2^32.
    let positions: [UInt64] = [7, 0, 1, 499, 498, 7, 1 << 33 | 1, 12, 3]
    for count in 0...positions.count {
      var out = [Double](repeating: .nan, count: count + 2)
      positions.withUnsafeBufferPointer { b in
        out.withUnsafeMutableBufferPointer {
          CounterRandom.uniforms(key: key, a: 1 << 40 | 5, b: b.baseAddress!, count: count, into: $0.baseAddress!)
        }
      }
      for j in 0..<count {
        #expect(out[j] == CounterRandom.uniform(key: key, 1 << 40 | 5, positions[j]), "count \(count), j \(j)")
      }
      #expect(out[count...].allSatisfy { $0.isNaN }, "writes past count")
    }
  }

  @Test func positionsAndKeysAreDistinct() {
    var seen = Set<UInt64>()
    for a in 0..<20 as Range<UInt64> {
      for b in 0..<20 as Range<UInt64> { seen.insert(CounterRandom.bits(key: key, a, b)) }
    }
    #expect(seen.count == 400)
    #expect(CounterRandom.bits(key: key, 0, 0) != CounterRandom.bits(key: key.child(1), 0, 0))
    #expect(CounterRandom.bits(key: key, 1, 0) != CounterRandom.bits(key: key, 0, 1))
  }

  @Test func doesNotRepeatTheSequentialStream() {
    // Block 0 of `RandomStream(key:)` and position (0, 0) would coincide without the domain bit.
    var stream = RandomStream(key: key)
    let streamBits = stream.next()
    #expect(CounterRandom.bits(key: key, 0, 0) != streamBits)
  }

  @Test func uniformsHaveUniformMoments() {
    let count = 100_000
    var buffer = [Double](repeating: 0, count: count)
    buffer.withUnsafeMutableBufferPointer { CounterRandom.uniforms(key: key, a: 3, count: count, into: $0) }
    #expect(buffer.allSatisfy { $0 >= 0 && $0 < 1 })
    RNGStats.expectMoments(buffer, mean: 0.5, variance: 1.0 / 12, fourthCentral: 1.0 / 80, "CounterRandom.uniforms")
  }
}
