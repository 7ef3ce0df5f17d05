import AdLabTensor
import Foundation
import Testing

/// Shared helpers for the tensor tests: closeness checks, the numpy fixture, and the finite-difference checker.
enum TensorTestSupport {
  /// Whether `a` and `b` have the same shape and every pair satisfies `|x − y| <= tolerance · max(1, |x|, |y|)`.
  static func isClose(_ a: Tensor<Double>, _ b: Tensor<Double>, tolerance: Double = 1e-12) -> Bool {
    guard a.shape == b.shape else { return false }
    for (x, y) in zip(a.scalars, b.scalars) {
      if x.isNaN || y.isNaN { return false }
      if x == y { continue }
      if abs(x - y) > tolerance * max(1, abs(x), abs(y)) { return false }
    }
    return true
  }

  static func isClose(_ a: Tensor<Float>, _ b: [Float], tolerance: Float = 1e-6) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a.scalars, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0), abs($1)) }
  }

  /// A deterministic tensor of standard normal draws.
  static func random(_ shape: [Int], seed: UInt64, scale: Double = 1) -> Tensor<Double> {
    Tensor(shape: shape, initializer: .normal(mean: 0, standardDeviation: scale), key: StreamKey(seed: seed))
  }

  // MARK: - Gradient checking

  /// Compares the tape's gradients of `sum(f(inputs) · R)` (R a fixed random weighting, so every output element
  /// matters with a distinct weight) with central differences `(L(x + h) − L(x − h)) / 2h`, element by element.
  /// Returns the largest relative error `|analytic − numeric| / max(1, |analytic|, |numeric|)`.
  static func maxGradientError(
    _ inputs: [Tensor<Double>], step h: Double = 1e-6,
    _ f: ([Variable<Double>]) throws -> Variable<Double>
  ) throws -> Double {
    func loss(_ values: [Tensor<Double>]) throws -> (Double, [Tensor<Double>?]) {
      let tape = Tape<Double>()
      let variables = values.map { tape.variable($0) }
      let output = try f(variables)
      let weights = random(output.shape, seed: 99)
      let total = try (output * tape.constant(weights)).sum()
      let gradients = try tape.gradients(of: total)
      return (total.value.scalar, variables.map { gradients[$0] })
    }
    let (_, analytic) = try loss(inputs)
    var worst = 0.0
    for (i, input) in inputs.enumerated() {
      for j in 0..<input.count {
        var plus = inputs
        var minus = inputs
        plus[i].withUnsafeMutableBufferPointer { $0[j] += h }
        minus[i].withUnsafeMutableBufferPointer { $0[j] -= h }
        let numeric = (try loss(plus).0 - loss(minus).0) / (2 * h)
        let exact = analytic[i]?.scalars[j] ?? 0
        worst = max(worst, abs(exact - numeric) / max(1, abs(exact), abs(numeric)))
      }
    }
    return worst
  }

  // MARK: - Fixture

  /// The numpy values of `Fixtures/tensor_fixture.json` (made by `Fixtures/make_tensor_fixture.py`).
  struct Fixture {
    let tensors: [String: Tensor<Double>]
    let indices: [String: [Int]]

    func callAsFunction(_ name: String) -> Tensor<Double> {
      guard let tensor = tensors[name] else { preconditionFailure("fixture has no tensor '\(name)'") }
      return tensor
    }
  }

  static let fixture: Fixture = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/tensor_fixture.json")
    guard let data = try? Data(contentsOf: url),
      let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let tensors = root["tensors"] as? [String: [String: Any]],
      let indices = root["indices"] as? [String: [Int]]
    else { preconditionFailure("cannot read \(url.path)") }
    var result: [String: Tensor<Double>] = [:]
    for (name, entry) in tensors {
      let shape = (entry["shape"] as? [Int]) ?? []
      let data = (entry["data"] as? [Double]) ?? (entry["data"] as? [NSNumber])?.map(\.doubleValue) ?? []
      result[name] = Tensor(shape: shape, scalars: data)
    }
    return Fixture(tensors: result, indices: indices)
  }()
}
