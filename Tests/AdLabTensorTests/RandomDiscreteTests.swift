import AdLabTensor
import Testing

struct RandomDiscreteTests {
  static let weights = [1.0, 0, 2, 3.5, 0.5]
  static var probabilities: [Double] { weights.map { $0 / 7 } }

  @Test func categoricalFrequenciesMatchWeights() {
    var stream = RandomStream(key: StreamKey(seed: 20))
    var counts = [Int](repeating: 0, count: Self.weights.count)
    for _ in 0..<70_000 { counts[stream.categorical(Self.weights)] += 1 }
    #expect(counts[1] == 0)
    RNGStats.expectChiSquareFit(counts: counts, probabilities: Self.probabilities, "categorical")
  }

  @Test func aliasTableFrequenciesMatchWeights() {
    var stream = RandomStream(key: StreamKey(seed: 21))
    let table = AliasTable(weights: Self.weights)
    #expect(table.count == 5)
    var counts = [Int](repeating: 0, count: Self.weights.count)
    for _ in 0..<40_000 { counts[table.sample(using: &stream)] += 1 }
    #expect(counts[1] == 0)
    RNGStats.expectChiSquareFit(counts: counts, probabilities: Self.probabilities, "AliasTable")

    // Ten uneven weights (df 9).
    let many = (1...10).map { Double($0 * $0) }
    let manyTable = AliasTable(weights: many)
    var manyCounts = [Int](repeating: 0, count: 10)
    for _ in 0..<50_000 { manyCounts[manyTable.sample(using: &stream)] += 1 }
    RNGStats.expectChiSquareFit(counts: manyCounts, probabilities: many.map { $0 / 385 }, "AliasTable squares")
  }

  @Test func shuffleGivesAllPermutationsEqually() {
    var stream = RandomStream(key: StreamKey(seed: 22))
    var counts: [[Int]: Int] = [:]
    for _ in 0..<60_000 {
      var array = [0, 1, 2]
      stream.shuffle(&array)
      counts[array, default: 0] += 1
    }
    #expect(counts.count == 6)
    let ordered = counts.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { counts[$0] ?? 0 }
    RNGStats.expectChiSquareFit(
      counts: ordered, probabilities: [Double](repeating: 1.0 / 6, count: 6), "shuffle of 3")
    var empty: [Int] = []
    stream.shuffle(&empty)
    #expect(empty.isEmpty)
  }

  @Test func sampleWithoutReplacementIsUniformAndDistinct() {
    var stream = RandomStream(key: StreamKey(seed: 23))
    let n = 10, k = 3, trials = 30_000
    var inclusion = [Int](repeating: 0, count: n)
    var firstPosition = [Int](repeating: 0, count: n)
    for _ in 0..<trials {
      let sample = stream.sampleWithoutReplacement(k, from: n)
      #expect(sample.count == k && Set(sample).count == k && sample.allSatisfy { (0..<n).contains($0) })
      for value in sample { inclusion[value] += 1 }
      firstPosition[sample[0]] += 1
    }
    // Each value is included with probability k/n, a binomial count per value.
    let p = Double(k) / Double(n)
    let se = (Double(trials) * p * (1 - p)).squareRoot()
    for count in inclusion {
      #expect(
        abs(Double(count) - Double(trials) * p) <= RNGStats.zTolerance * se, "inclusion counts \(inclusion)")
    }
    RNGStats.expectChiSquareFit(
      counts: firstPosition, probabilities: [Double](repeating: 0.1, count: n), "first selected value")
    #expect(stream.sampleWithoutReplacement(0, from: 0).isEmpty)
    #expect(Set(stream.sampleWithoutReplacement(n, from: n)) == Set(0..<n))
  }

  @Test(arguments: [(3, 10), (40, 100), (5, 1_000_000), (3_000, 20_000)])
  func sampleWithoutReplacementIsAPartialFisherYates(k: Int, n: Int) {
    // The documented semantics, written out on a full array with the public API; both internal paths
    // (dense array and sparse dictionary) must reproduce it exactly.
    var stream = RandomStream(key: StreamKey(seed: 24).child(n))
    var reference = stream
    var pool = Array(0..<n)
    for i in 0..<k { pool.swapAt(i, i + reference.int(below: n - i)) }
    #expect(stream.sampleWithoutReplacement(k, from: n) == Array(pool[0..<k]))
    #expect(stream.next() == reference.next())
  }

  @Test func sparseSampleFromLargeRangeIsUniform() {
    var stream = RandomStream(key: StreamKey(seed: 25))
    let n = 1_000_000
    var bins = [Int](repeating: 0, count: 10)
    for _ in 0..<10_000 {
      let sample = stream.sampleWithoutReplacement(4, from: n)
      #expect(Set(sample).count == 4)
      for value in sample { bins[value / 100_000] += 1 }
    }
    RNGStats.expectChiSquareFit(
      counts: bins, probabilities: [Double](repeating: 0.1, count: 10), "sparse sample bins")
  }
}
