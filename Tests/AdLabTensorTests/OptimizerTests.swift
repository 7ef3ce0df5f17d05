import AdLabTensor
import Foundation
import Testing

/// One or two hand-computed steps of every optimizer, sparse-row updates, clipping and schedules.
struct OptimizerTests {
  let w0 = Tensor<Double>([1, 2])
  let g = ParameterGradient<Double>.dense(Tensor([0.5, -1]))

  func step<O: Optimizer<Double>>(_ optimizer: inout O, times: Int = 1) -> [Double] {
    var parameters = [w0]
    for _ in 0..<times { optimizer.update(&parameters, gradients: [g]) }
    return parameters[0].scalars
  }

  func close(_ a: [Double], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 } }

  @Test func sgdVariants() {
    var plain = SGD<Double>(learningRate: 0.1)
    #expect(close(step(&plain), [0.95, 2.1]))
    var heavy = SGD<Double>(learningRate: 0.1, momentum: 0.9)
    // v1 = g, v2 = 1.9 g: w2 = w0 − 0.1 · 2.9 g.
    #expect(close(step(&heavy, times: 2), [1 - 0.29 * 0.5, 2 + 0.29]))
    var nesterov = SGD<Double>(learningRate: 0.1, momentum: 0.9, nesterov: true)
    #expect(close(step(&nesterov), [1 - 0.19 * 0.5, 2 + 0.19]))  // w − lr · (g + μ · g)
    var decayed = SGD<Double>(learningRate: 0.1, weightDecay: 0.1)
    #expect(close(step(&decayed), [1 - 0.1 * 0.6, 2 - 0.1 * (-1 + 0.2)]))
  }

  @Test func adagradStep() {
    var adagrad = Adagrad<Double>(learningRate: 0.1, initialAccumulator: 0.1, epsilon: 1e-10)
    let expected = [1 - 0.1 * 0.5 / ((0.1 + 0.25).squareRoot() + 1e-10), 2 + 0.1 / ((1.1).squareRoot() + 1e-10)]
    #expect(close(step(&adagrad), expected))
  }

  @Test func adamAndAdamWFirstSteps() {
    // First Adam step: m̂ = g, v̂ = g², so w − lr · g / (|g| + ε (scaled)), about w − lr · sign(g).
    var adam = Adam<Double>(learningRate: 0.1)
    let expected = [1 - 0.1 * 0.05 / (0.05 / 0.1 + 1e-8) / 1, 2 + 0.1 * 0.1 / (0.1 / 0.1 + 1e-8)]
    let got = step(&adam)
    #expect(abs(got[0] - (1 - 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-12 && abs(got[1] - (2 + 0.1 / (1 + 1e-8))) < 1e-12)
    _ = expected
    var adamW = AdamW<Double>(learningRate: 0.1, weightDecay: 0.5)
    let gotW = step(&adamW)
    #expect(abs(gotW[0] - (0.95 - 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-12)  // w · (1 − 0.05) first
    #expect(abs(gotW[1] - (1.9 + 0.1 / (1 + 1e-8))) < 1e-12)
    var withL2 = Adam<Double>(learningRate: 0.1, weightDecay: 1)  // L2 adds w to g: g' = [1.5, 1]
    let gotL2 = step(&withL2)
    #expect(abs(gotL2[0] - (1 - 0.1 * 1.5 / (1.5 + 1e-8))) < 1e-12 && abs(gotL2[1] - (2 - 0.1 / (1 + 1e-8))) < 1e-12)
  }

  @Test func ftrlFirstStepMatchesThePaper() {
    // From z = n = 0 and w = 0: σ = |g|/α, z = g, n = g², w = −(z − sign(z)·λ₁) / ((β + |g|)/α + λ₂).
    var ftrl = FTRL<Double>(alpha: 0.5, beta: 1, l1: 0.2, l2: 0.1)
    var parameters = [Tensor<Double>.zeros([3])]
    ftrl.update(&parameters, gradients: [.dense(Tensor([0.5, -1, 0.1]))])
    let w = parameters[0].scalars
    #expect(abs(w[0] - (-(0.5 - 0.2) / ((1 + 0.5) / 0.5 + 0.1))) < 1e-12)
    #expect(abs(w[1] - ((1 - 0.2) / ((1 + 1) / 0.5 + 0.1))) < 1e-12)
    #expect(w[2] == 0)  // |z| = 0.1 <= λ₁
  }

  @Test func sparseRowsTouchOnlyTheirRows() {
    let table = Tensor<Double>(shape: [4, 2], scalars: [1, 1, 2, 2, 3, 3, 4, 4])
    let rows = RowSparseGradient(
      rowCount: 4, indices: [1, 3], values: Tensor(shape: [2, 2], scalars: [1, 1, -1, -1]))
    var optimizers: [any Optimizer<Double>] = [
      SGD(learningRate: 0.1, momentum: 0.9), Adagrad(learningRate: 0.1), Adam(learningRate: 0.1),
      AdamW(learningRate: 0.1), FTRL(alpha: 0.1),
    ]
    for index in optimizers.indices {
      var parameters = [table]
      optimizers[index].update(&parameters, gradients: [.rows(rows)])
      let w = parameters[0].scalars
      #expect(w[0] == 1 && w[1] == 1 && w[4] == 3 && w[5] == 3, "\(type(of: optimizers[index])) moved untouched rows")
      #expect(w[2] != 2 && w[6] != 4, "\(type(of: optimizers[index])) did not move touched rows")
    }
    // Lazy Adam equals dense Adam on the touched rows at the first step.
    var lazy = Adam<Double>(learningRate: 0.1)
    var dense = Adam<Double>(learningRate: 0.1)
    var a = [table]
    var b = [table]
    lazy.update(&a, gradients: [.rows(rows)])
    dense.update(&b, gradients: [.dense(rows.densified())])
    #expect(a[0].scalars[2...3] == b[0].scalars[2...3] && a[0].scalars[6...7] == b[0].scalars[6...7])
  }

  @Test func noneLeavesParametersAlone() {
    var adam = Adam<Double>(learningRate: 0.1)
    var parameters = [w0]
    adam.update(&parameters, gradients: [.none])
    #expect(parameters[0] == w0)
  }

  @Test func clippingByGlobalNorm() {
    var gradients: [ParameterGradient<Double>] = [
      .dense(Tensor([3])),
      .rows(RowSparseGradient(rowCount: 5, indices: [2], values: Tensor(shape: [1, 1], scalars: [4]))), .none,
    ]
    let norm = GradientClipping.clipByGlobalNorm(&gradients, maxNorm: 1)
    #expect(norm == 5)
    guard case .dense(let first) = gradients[0], case .rows(let second) = gradients[1] else {
      Issue.record("cases changed")
      return
    }
    #expect(abs(first.scalar - 0.6) < 1e-15 && abs(second.values.scalar - 0.8) < 1e-15)
    #expect(GradientClipping.clipByGlobalNorm(&gradients, maxNorm: 10) < 1.0000001)  // below: unchanged
  }

  @Test func learningRateSchedules() {
    let constant: LearningRateSchedule = 0.1
    #expect(constant.rate(at: 1000) == 0.1)
    let stepped = LearningRateSchedule.step(initial: 1, factor: 0.5, every: 10)
    #expect(stepped.rate(at: 9) == 1 && stepped.rate(at: 10) == 0.5 && stepped.rate(at: 25) == 0.25)
    let cosine = LearningRateSchedule.cosine(initial: 1, minimum: 0.1, steps: 100)
    #expect(cosine.rate(at: 0) == 1 && abs(cosine.rate(at: 50) - 0.55) < 1e-12 && cosine.rate(at: 100) == 0.1)
    #expect(cosine.rate(at: 500) == 0.1)
    let warm = LearningRateSchedule.warmup(steps: 4, then: .constant(0.8))
    #expect(warm.rate(at: 0) == 0.2 && warm.rate(at: 3) == 0.8 && warm.rate(at: 10) == 0.8)
    let warmCosine = LearningRateSchedule.warmup(steps: 10, then: cosine)
    #expect(warmCosine.rate(at: 10) == 1 && warmCosine.rate(at: 110) == 0.1)
  }
}
