import AdLabBench

/// Times training steps of a multilayer perceptron, the tensor core's reference workload.
///
/// The model is 64-256-256-1 (ReLU hidden layers, a logit output with sigmoid cross-entropy), trained with Adam on
/// a batch of 1024 random `Float` examples. A step is the forward pass on a fresh tape, the backward pass and the
/// optimizer update. The figure reported is samples per second of the fastest of several 5-step blocks, with one
/// thread and with `GEMM.defaultThreads`. The whole run takes a few seconds in release builds.
public enum MLPBenchmark {
  /// Runs the benchmark, sending one line per result to `print`; returns samples/s per thread count measured.
  @discardableResult
  public static func run(print: (String) -> Void) -> [(threads: Int, samplesPerSecond: Double)] {
    let batch = 1024
    var model = MLPBenchmarkModel(
      sizes: [64, 256, 256, 1], batch: batch, key: StreamKey(seed: 2024).child("mlp-bench"))
    print("MLP 64-256-256-1, ReLU, sigmoid cross-entropy, Adam; batch \(batch), Float")
    var counts = [1]
    if GEMM.defaultThreads > 1 { counts.append(GEMM.defaultThreads) }
    var figures: [(threads: Int, samplesPerSecond: Double)] = []
    for threads in counts {
      var loss: Float = 0
      // The warm-up step allocates the optimizer state; then blocks of 5 steps for up to 4 s (3 to 40 blocks).
      let timing = TensorParallelism.$threads.withValue(threads) {
        BenchTiming.measure(warmup: 1, repeats: 3, callsPerSample: 5, budgetSeconds: 4, maximumRepeats: 40) {
          loss = model.step()
        }
      }
      let rate = timing.bestRate(Double(batch))
      figures.append((threads, rate))
      print(
        "  threads \(threads): \(Int(rate.rounded())) samples/s "
          + "(\(BenchFormat.fixed(timing.best * 1000, digits: 2)) ms/step, loss \(loss))")
    }
    return figures
  }
}

/// The benchmark's model and data: a fixed batch, ReLU MLP, Adam.
struct MLPBenchmarkModel {
  var parameters: [Tensor<Float>] = []
  var optimizer = Adam<Float>(learningRate: 1e-3)
  let inputs: Tensor<Float>
  let targets: Tensor<Float>

  init(sizes: [Int], batch: Int, key: StreamKey) {
    for layer in 0..<(sizes.count - 1) {
      parameters.append(
        Tensor(shape: [sizes[layer], sizes[layer + 1]], initializer: .heNormal, key: key.child("w").child(layer)))
      parameters.append(Tensor.zeros([sizes[layer + 1]]))
    }
    inputs = Tensor(shape: [batch, sizes[0]], initializer: .normal(mean: 0, standardDeviation: 1), key: key.child("x"))
    var stream = RandomStream(key: key.child("y"))
    targets = Tensor(shape: [batch, 1], scalars: (0..<batch).map { _ in stream.bernoulli(0.5) ? 1 : 0 })
  }

  /// One training step; returns the loss before the update.
  mutating func step() -> Float {
    let (loss, gradients) = lossAndGradients()
    optimizer.update(&parameters, gradients: gradients)
    return loss
  }

  /// The loss and gradients; the tape is released on return, so the update writes the parameters in place.
  func lossAndGradients() -> (Float, [ParameterGradient<Float>]) {
    let tape = Tape<Float>()
    let variables = parameters.map { tape.variable($0) }
    do {
      var h = tape.constant(inputs)
      let layers = variables.count / 2
      for layer in 0..<layers {
        h = try h.matmul(variables[2 * layer]) + variables[2 * layer + 1]
        if layer < layers - 1 { h = h.relu() }
      }
      let loss = try h.sigmoidCrossEntropy(targets: targets)
      let gradients = try tape.gradients(of: loss)
      return (loss.value.scalar, variables.map { gradients.parameterGradient($0) })
    } catch {
      preconditionFailure("MLPBenchmark: \(error)")  // shapes are fixed above
    }
  }
}
