import AdLabTensor
import Foundation
import Testing

/// End-to-end learning: XOR with a tiny MLP, and recovery of known logistic-regression weights with FTRL and Adam.
struct TrainingTests {
  @Test func tinyMLPLearnsXOR() throws {
    let key = StreamKey(seed: 7).child("xor")
    let x = Tensor<Double>(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
    let y = Tensor<Double>(shape: [4, 1], scalars: [0, 1, 1, 0])
    var parameters = [
      Tensor<Double>(shape: [2, 8], initializer: .glorotUniform, key: key.child("w1")), .zeros([8]),
      Tensor<Double>(shape: [8, 1], initializer: .glorotUniform, key: key.child("w2")), .zeros([1]),
    ]
    var optimizer = Adam<Double>(learningRate: 0.05)
    var loss = Double.infinity
    for _ in 0..<300 {
      let tape = Tape<Double>()
      let v = parameters.map { tape.variable($0) }
      let hidden = try (tape.constant(x).matmul(v[0]) + v[1]).tanh()
      let output = try hidden.matmul(v[2]) + v[3]
      let objective = try output.sigmoidCrossEntropy(targets: y)
      loss = objective.value.scalar
      let g = try tape.gradients(of: objective)
      optimizer.update(&parameters, gradients: v.map { g.parameterGradient($0) })
    }
    #expect(loss < 0.05, "XOR loss after 300 Adam steps: \(loss)")
  }

  /// 20,000 examples with 5 standard-normal features and labels drawn from sigmoid(x·w + b).
  static let trueWeights: [Double] = [1.5, -2.0, 0.5, 0.0, 1.0]
  static let trueBias = -0.5
  static let data: (x: Tensor<Double>, y: Tensor<Double>) = {
    let n = 20_000
    let x = Tensor<Double>(shape: [n, 5], initializer: .normal(mean: 0, standardDeviation: 1), key: StreamKey(seed: 8))
    var stream = RandomStream(key: StreamKey(seed: 8).child("labels"))
    let rows = x.scalars
    var labels = [Double]()
    for i in 0..<n {
      var z = trueBias
      for j in 0..<5 { z += rows[i * 5 + j] * trueWeights[j] }
      labels.append(stream.bernoulli(1 / (1 + exp(-z))) ? 1 : 0)
    }
    return (x, Tensor(shape: [n, 1], scalars: labels))
  }()

  /// Mini-batch training of a logistic model; returns (weights, bias).
  static func fitLogistic(optimizer: inout some Optimizer<Double>, epochs: Int, batch: Int) throws -> ([Double], Double)
  {
    var parameters: [Tensor<Double>] = [.zeros([5, 1]), .zeros([1])]
    let n = data.x.shape[0]
    for _ in 0..<epochs {
      for start in stride(from: 0, to: n, by: batch) {
        let xb = try data.x.slice(axis: 0, start..<(start + batch))
        let yb = try data.y.slice(axis: 0, start..<(start + batch))
        let tape = Tape<Double>()
        let w = tape.variable(parameters[0])
        let b = tape.variable(parameters[1])
        let loss = try (tape.constant(xb).matmul(w) + b).sigmoidCrossEntropy(targets: yb.contiguous())
        let g = try tape.gradients(of: loss)
        optimizer.update(&parameters, gradients: [g.parameterGradient(w), g.parameterGradient(b)])
      }
    }
    return (parameters[0].scalars, parameters[1].scalar)
  }

  /// The maximum-likelihood estimate from 20,000 samples is within about ±0.05 of the truth (standard error
  /// about 0.02-0.03 per coefficient); both optimizers must land within 0.1 of the true weights and bias.
  @Test func ftrlRecoversLogisticWeights() throws {
    var ftrl = FTRL<Double>(alpha: 0.5, beta: 1)
    let (w, b) = try Self.fitLogistic(optimizer: &ftrl, epochs: 3, batch: 200)
    for (estimate, truth) in zip(w, Self.trueWeights) { #expect(abs(estimate - truth) < 0.1, "w \(w)") }
    #expect(abs(b - Self.trueBias) < 0.1, "b \(b)")
  }

  @Test func adamRecoversLogisticWeights() throws {
    var adam = Adam<Double>(learningRate: .cosine(initial: 0.05, minimum: 0.0005, steps: 300))
    let (w, b) = try Self.fitLogistic(optimizer: &adam, epochs: 3, batch: 200)
    for (estimate, truth) in zip(w, Self.trueWeights) { #expect(abs(estimate - truth) < 0.1, "w \(w)") }
    #expect(abs(b - Self.trueBias) < 0.1, "b \(b)")
  }

  @Test func ftrlWithL1ZeroesTheIrrelevantFeature() throws {
    var ftrl = FTRL<Double>(alpha: 0.5, beta: 1, l1: 2)
    let (w, _) = try Self.fitLogistic(optimizer: &ftrl, epochs: 2, batch: 200)
    #expect(w[3] == 0, "w \(w)")
    #expect(abs(w[1]) > 1)
  }
}
