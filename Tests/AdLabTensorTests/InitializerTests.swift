import AdLabTensor
import Testing

/// Initializers: seeded, the right bounds and spreads, fans by convention.
struct InitializerTests {
  @Test func fans() {
    #expect(Initializer.fans(of: [64, 256]) == (64, 256))
    #expect(Initializer.fans(of: [3, 3, 16, 32]) == (144, 288))
    #expect(Initializer.fans(of: [10]) == (10, 10))
  }

  @Test func sameKeySameTensor() {
    let key = StreamKey(seed: 1).child("layer")
    let a = Tensor<Float>(shape: [8, 8], initializer: .heNormal, key: key)
    #expect(a == Tensor<Float>(shape: [8, 8], initializer: .heNormal, key: key))
    #expect(a != Tensor<Float>(shape: [8, 8], initializer: .heNormal, key: key.child(1)))
  }

  func moments(_ t: Tensor<Double>) -> (mean: Double, variance: Double) {
    let values = t.scalars
    let mean = values.reduce(0, +) / Double(values.count)
    return (mean, values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count))
  }

  static let spreadCases: [(Initializer, Double)] = [
    (.glorotUniform, 2.0 / 600), (.glorotNormal, 2.0 / 600), (.heUniform, 2.0 / 200), (.heNormal, 2.0 / 200),
  ]

  @Test(arguments: spreadCases)
  func spreads(_ initializer: Initializer, _ variance: Double) {
    let t = Tensor<Double>(shape: [200, 400], initializer: initializer, key: StreamKey(seed: 9))
    let (mean, observed) = moments(t)
    #expect(abs(mean) < 0.002)
    #expect(abs(observed / variance - 1) < 0.02, "\(initializer): variance \(observed), expected \(variance)")
    if initializer == .glorotUniform {
      let limit = (6.0 / 600).squareRoot()
      #expect(t.scalars.allSatisfy { abs($0) < limit })
    }
  }

  @Test func simpleFills() {
    #expect(Tensor<Float>(shape: [3], initializer: .constant(2), key: StreamKey(seed: 0)).scalars == [2, 2, 2])
    let u = Tensor<Double>(shape: [1000], initializer: .uniform(low: 2, high: 3), key: StreamKey(seed: 0))
    #expect(u.scalars.allSatisfy { $0 >= 2 && $0 < 3 })
  }
}
