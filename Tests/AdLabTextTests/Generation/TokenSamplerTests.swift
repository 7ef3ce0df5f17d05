import AdLabTensor
import Foundation
import Testing

@testable import AdLabText

/// The sampler's rules, each with a test that fails when the rule is broken.
@Suite struct TokenSamplerTests {
  static let key = StreamKey(seed: 7).child("sampler-test")

  /// Draws `count` tokens from fresh copies of `logits`.
  static func draws(_ logits: [Float], _ parameters: SamplingParameters, count: Int, key: StreamKey = key) -> [Int32] {
    var sampler = TokenSampler(parameters: parameters, key: key)
    return (0..<count).map { _ in
      var copy = logits
      return copy.withUnsafeMutableBufferPointer { sampler.next(logits: $0, history: [Int32]()) }
    }
  }

  /// Softmax probabilities at a temperature, in Double.
  static func softmax(_ logits: [Float], temperature: Double = 1) -> [Double] {
    let top = Double(logits.max() ?? 0)
    let weights = logits.map { Foundation.exp((Double($0) - top) / temperature) }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
  }

  /// Each token's count is within 5 binomial standard deviations of n·p (a false alarm about once in 3 million
  /// per token; a wrong distribution of these sizes is off by far more).
  static func expectFrequencies(
    _ ids: [Int32], match probabilities: [Double], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let n = Double(ids.count)
    for (token, p) in probabilities.enumerated() {
      let observed = Double(ids.filter { $0 == token }.count)
      let bound = 5 * (n * p * (1 - p)).squareRoot() + 1
      #expect(
        abs(observed - n * p) <= bound, "token \(token): \(observed) draws, expected \(n * p) ± \(bound)",
        sourceLocation: sourceLocation)
    }
  }

  @Test func greedyIsArgmaxWithLowestIdOnTies() {
    #expect(Self.draws([0.1, 2, -1, 2, 1.5], SamplingParameters(), count: 3) == [1, 1, 1])
    #expect(Self.draws([-.infinity, .nan, -5], SamplingParameters(), count: 1) == [2])
  }

  @Test func drawsFollowSoftmaxProbabilities() {
    let logits: [Float] = [2, 1, 0, -1, 0.5]
    Self.expectFrequencies(
      Self.draws(logits, SamplingParameters(temperature: 1), count: 20_000), match: Self.softmax(logits))
    Self.expectFrequencies(
      Self.draws(logits, SamplingParameters(temperature: 2), count: 20_000), match: Self.softmax(logits, temperature: 2)
    )
  }

  @Test func topKNeverLeavesTheKBest() {
    var rng = RandomStream(key: StreamKey(seed: 3).child("logits"))
    let logits = (0..<500).map { _ in Float(rng.normal()) }
    let best = Set(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(5).map { Int32($0) })
    let ids = Self.draws(logits, SamplingParameters(temperature: 5, topK: 5), count: 3000)
    #expect(Set(ids).isSubset(of: best))
    #expect(Set(ids).count == 5)  // a high temperature reaches all five
    // Within the k best, probabilities are the softmax renormalised over them.
    let kept = [Float](logits.indices.map { best.contains(Int32($0)) ? logits[$0] : -.infinity })
    Self.expectFrequencies(ids, match: Self.softmax(kept, temperature: 5))
  }

  @Test func topPKeepsTheSmallestNucleus() {
    // Probabilities 0.5, 0.3, 0.15, 0.05: a nucleus of 0.75 needs the first two tokens.
    let logits = [0.5, 0.3, 0.15, 0.05].map { Float(Foundation.log($0)) }
    let ids = Self.draws(logits, SamplingParameters(temperature: 1, topP: 0.75), count: 20_000)
    #expect(Set(ids) == [0, 1])
    Self.expectFrequencies(ids, match: [0.625, 0.375, 0, 0])
    #expect(Set(Self.draws(logits, SamplingParameters(temperature: 1, topP: 0.4), count: 200)) == [0])
  }

  @Test func repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
    var sampler = TokenSampler(parameters: SamplingParameters(repetitionPenalty: 1.5), key: Self.key)
    var logits: [Float] = [3, 2.9, -1, -1.2]
    let first = logits.withUnsafeMutableBufferPointer { sampler.next(logits: $0, history: [0, 2, 0]) }
    #expect(first == 1)
    #expect(logits == [2, 2.9, -1.5, -1.2])  // each repeated token penalised once
  }

  @Test func sameSeedSameTokensOtherSeedOtherTokens() {
    var rng = RandomStream(key: StreamKey(seed: 5).child("logits"))
    let logits = (0..<1000).map { _ in Float(rng.normal()) }
    let parameters = SamplingParameters(temperature: 1.2, topK: 50, topP: 0.95)
    let a = Self.draws(logits, parameters, count: 64, key: TextGenerator.streamKey(seed: 1, sequence: 0))
    let b = Self.draws(logits, parameters, count: 64, key: TextGenerator.streamKey(seed: 1, sequence: 0))
    let c = Self.draws(logits, parameters, count: 64, key: TextGenerator.streamKey(seed: 2, sequence: 0))
    let d = Self.draws(logits, parameters, count: 64, key: TextGenerator.streamKey(seed: 1, sequence: 1))
    #expect(a == b)
    #expect(a != c && a != d)
  }

  @Test func parametersOutOfRangeAreNamed() {
    #expect(throws: SamplingError.self) { try SamplingParameters(temperature: -1).validate() }
    #expect(throws: SamplingError.self) { try SamplingParameters(temperature: .nan).validate() }
    #expect(throws: SamplingError.self) { try SamplingParameters(topK: -1).validate() }
    #expect(throws: SamplingError.self) { try SamplingParameters(topP: 0).validate() }
    #expect(throws: SamplingError.self) { try SamplingParameters(topP: 1.5).validate() }
    #expect(throws: SamplingError.self) { try SamplingParameters(repetitionPenalty: 0).validate() }
    #expect(throws: SamplingError.self) { try SamplingParameters(maxTokens: 0).validate() }
    #expect(throws: Never.self) { try SamplingParameters(temperature: 0.7, topK: 40, topP: 0.9).validate() }
    #expect(SamplingError.invalid("top-p", "0.0", "a number in (0, 1]").description.contains("top-p"))
  }
}
