import AdLabTensor
import Testing

struct RandomStreamTests {
  static let sampleCount = 100_000

  @Test func uniformHasUniformMoments() {
    var stream = RandomStream(key: StreamKey(seed: 1).child("uniform"))
    let samples = (0..<Self.sampleCount).map { _ in stream.uniform() }
    #expect(samples.allSatisfy { $0 >= 0 && $0 < 1 })
    RNGStats.expectMoments(samples, mean: 0.5, variance: 1.0 / 12, fourthCentral: 1.0 / 80, "uniform")
    let open = (0..<Self.sampleCount).map { _ in stream.uniformOpen() }
    #expect(open.allSatisfy { $0 > 0 && $0 < 1 })
    RNGStats.expectMoments(open, mean: 0.5, variance: 1.0 / 12, fourthCentral: 1.0 / 80, "uniformOpen")
    let floats = (0..<Self.sampleCount).map { _ in Double(stream.uniformFloat()) }
    #expect(floats.allSatisfy { $0 >= 0 && $0 < 1 })
    RNGStats.expectMoments(floats, mean: 0.5, variance: 1.0 / 12, fourthCentral: 1.0 / 80, "uniformFloat")
  }

  @Test func uniformInRangeScalesAndStaysBelowUpperBound() {
    var stream = RandomStream(key: StreamKey(seed: 2))
    let samples = (0..<Self.sampleCount).map { _ in stream.uniform(in: -3..<5) }
    #expect(samples.allSatisfy { $0 >= -3 && $0 < 5 })
    RNGStats.expectMoments(samples, mean: 1, variance: 64.0 / 12, fourthCentral: 4096.0 / 80, "uniform(in:)")
    // A width far below the bounds' spacing would round onto the upper bound without the guard.
    let tiny = 1.0..<1.0.nextUp
    #expect((0..<100).allSatisfy { _ in stream.uniform(in: tiny) == 1.0 })
  }

  @Test func nextJoinsWordsLowFirstAcrossBlocks() {
    var words = RandomStream(key: StreamKey(seed: 3))
    var joined = words
    _ = words.nextUInt32()  // shift by one word so the third `next()` straddles blocks 0 and 1
    _ = joined.nextUInt32()
    for _ in 0..<10 {
      let low = UInt64(words.nextUInt32()), high = UInt64(words.nextUInt32())
      #expect(joined.next() == high << 32 | low)
    }
  }

  @Test func copiesForkIdenticalSequences() {
    var original = RandomStream(key: StreamKey(seed: 4))
    _ = original.nextUInt32()  // leaves the buffer mid-block
    var copy = original
    for _ in 0..<100 {
      #expect(original.normal() == copy.normal())
      #expect(original.next() == copy.next())
    }
  }

  @Test func intBelowThreeIsUniform() {
    var stream = RandomStream(key: StreamKey(seed: 5))
    var counts = [0, 0, 0]
    for _ in 0..<Self.sampleCount { counts[stream.int(below: 3)] += 1 }
    RNGStats.expectChiSquareFit(counts: counts, probabilities: [1.0 / 3, 1.0 / 3, 1.0 / 3], "int(below: 3)")
  }

  @Test func intBelowLargeBoundCoversRangeUniformly() {
    // n = 2³¹ + 1: needs more than 32 bits, and 2⁶⁴ mod n is large, so rejection must be right.
    let n = (1 << 31) + 1
    var stream = RandomStream(key: StreamKey(seed: 6))
    var bins = [Int](repeating: 0, count: 16)
    var even = 0
    var maximum = 0
    for _ in 0..<Self.sampleCount {
      let value = stream.int(below: n)
      precondition(value >= 0 && value < n)
      bins[min(15, value >> 27)] += 1  // 16 bins of width 2²⁷; the value 2³¹ falls into the last
      even += value & 1 == 0 ? 1 : 0
      maximum = max(maximum, value)
    }
    var probabilities = [Double](repeating: Double(1 << 27) / Double(n), count: 16)
    probabilities[15] += 1 / Double(n)
    RNGStats.expectChiSquareFit(counts: bins, probabilities: probabilities, "int(below: 2^31 + 1) bins")
    let pEven = Double(n / 2 + 1) / Double(n)
    let se = (pEven * (1 - pEven) / Double(Self.sampleCount)).squareRoot()
    #expect(abs(Double(even) / Double(Self.sampleCount) - pEven) <= RNGStats.zTolerance * se)
    #expect(maximum > (1 << 31) - (1 << 20))
  }

  @Test func intBelowRejectsTheBiasedZone() {
    // n = 3·2⁶¹: 2⁶⁴ mod n = 2⁶² (a quarter of all draws is rejected). Without rejection the high word of
    // next()·n would give residues mod 3 with probabilities (3/8, 3/8, 1/4) instead of 1/3 each.
    let n = 3 << 61
    var stream = RandomStream(key: StreamKey(seed: 7))
    var counts = [0, 0, 0]
    for _ in 0..<60_000 { counts[stream.int(below: n) % 3] += 1 }
    RNGStats.expectChiSquareFit(
      counts: counts, probabilities: [1.0 / 3, 1.0 / 3, 1.0 / 3], "int(below: 3·2^61) mod 3")
  }

  @Test func bernoulliFrequencyMatchesP() {
    var stream = RandomStream(key: StreamKey(seed: 8))
    for p in [0.0, 0.03, 0.5, 0.9, 1.0] {
      let hits = (0..<20_000).reduce(0) { count, _ in count + (stream.bernoulli(p) ? 1 : 0) }
      let se = (p * (1 - p) / 20_000).squareRoot()
      #expect(abs(Double(hits) / 20_000 - p) <= RNGStats.zTolerance * se, "bernoulli(\(p)): \(hits) / 20000")
    }
  }

  @Test func fillUniformEqualsRepeatedCalls() {
    var filled = RandomStream(key: StreamKey(seed: 9))
    var single = filled
    _ = filled.nextUInt32()  // start mid-block
    _ = single.nextUInt32()
    var buffer = [Double](repeating: .nan, count: 37)
    buffer.withUnsafeMutableBufferPointer { filled.fillUniform(into: $0) }
    #expect(buffer == (0..<37).map { _ in single.uniform() })
    #expect(filled.next() == single.next())
  }
}
