import AdLabCore
import AdLabTensor
import Foundation
import Testing

@testable import AdLabModels

/// Each model's gradient of the summed (or mean) log loss against central finite differences in Double.
struct GradientCheckTests {
  static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(a), abs(b))
  }

  /// The sparse kernels fuse gradient and update; after `learn` their gradient buffers hold the summed gradient at
  /// the weights before the step. The reference recomputes the loss from the encoded rows in Double.
  @Test func logisticKernelGradientMatchesFiniteDifferences() throws {
    let (data, schema) = try ModelTestSupport.logged(ModelTestSupport.historyMarket, count: 64)
    var params = LogisticModel.Params()
    params.buckets = 512
    params.optimizer = .adagrad
    params.crosses = ["ad_id*x", "ad_item*history"]
    let model = try LogisticModel(params, context: ModelTestSupport.context(schema))
    let warm = data.subset(Array(0..<32)), batch = data.subset(Array(32..<64))
    let zeros = [Int32](repeating: 0, count: 32)
    zeros.withUnsafeBufferPointer { model.learn(warm.batch, actions: $0, outcomes: warm.outcomes) }
    let weights = model.weights.map(Double.init)
    zeros.withUnsafeBufferPointer { model.learn(batch.batch, actions: $0, outcomes: batch.outcomes) }
    let (indices, values, width) = (model.indices, model.values, model.layout.width)
    let bias = model.layout.indexCount
    func loss(_ w: [Double]) -> Double {
      var total = 0.0
      for r in 0..<32 {
        var z = w[bias]
        for e in (r * width)..<((r + 1) * width) { z += w[Int(indices[e])] * Double(values[e]) }
        let p = 1 / (1 + exp(-z))
        total -= batch.clicks[r] > 0 ? log(p) : log(1 - p)
      }
      return total
    }
    let touched = Set(indices.map(Int.init) + [bias]).sorted()
    #expect(touched.count > 20)
    for i in touched.prefix(40) {
      var plus = weights, minus = weights
      plus[i] += 1e-5
      minus[i] -= 1e-5
      let numeric = (loss(plus) - loss(minus)) / 2e-5
      #expect(
        Self.close(Double(model.gradient[i]), numeric, 1e-3),
        "index \(i): kernel \(model.gradient[i]) vs numeric \(numeric)")
    }
  }

  @Test func factorizationMachineKernelGradientMatchesFiniteDifferences() throws {
    let (data, schema) = try ModelTestSupport.logged(ModelTestSupport.linearMarket, count: 48)
    var params = FactorizationMachine.Params()
    params.buckets = 256
    params.factors = 4
    params.l2 = 0
    params.initScale = 0.3
    let model = try FactorizationMachine(params, context: ModelTestSupport.context(schema))
    let batch = data.subset(Array(0..<48))
    let linear = model.column(8, width: 1).scalars.map(Double.init),
      factors = model.column(0, width: 4).scalars.map(Double.init)
    let zeros = [Int32](repeating: 0, count: 48)
    zeros.withUnsafeBufferPointer { model.learn(batch.batch, actions: $0, outcomes: batch.outcomes) }
    let (indices, values, width, k) = (model.indices, model.values, model.layout.width, 4)
    let bias = model.layout.indexCount
    func loss(_ w: [Double], _ v: [Double]) -> Double {
      var total = 0.0
      for r in 0..<48 {
        var z = w[bias]
        var sums = [Double](repeating: 0, count: k), squares = 0.0
        for e in (r * width)..<((r + 1) * width) {
          let i = Int(indices[e]), x = Double(values[e])
          z += w[i] * x
          for f in 0..<k {
            sums[f] += v[i * k + f] * x
            squares += v[i * k + f] * v[i * k + f] * x * x
          }
        }
        z += 0.5 * (sums.reduce(0) { $0 + $1 * $1 } - squares)
        let p = 1 / (1 + exp(-z))
        total -= batch.clicks[r] > 0 ? log(p) : log(1 - p)
      }
      return total
    }
    for i in Set(indices.map(Int.init)).sorted().prefix(12) {
      let gradient = try #require(model.lastGradient(i))
      var plus = linear, minus = linear
      plus[i] += 1e-5
      minus[i] -= 1e-5
      let numeric = (loss(plus, factors) - loss(minus, factors)) / 2e-5
      #expect(Self.close(Double(gradient[0]), numeric, 1e-3), "linear \(i)")
      for f in 0..<k {
        var vp = factors, vm = factors
        vp[i * k + f] += 1e-5
        vm[i * k + f] -= 1e-5
        let numericV = (loss(linear, vp) - loss(linear, vm)) / 2e-5
        #expect(
          Self.close(Double(gradient[1 + f]), numericV, 1e-3), "factor \(i),\(f): \(gradient[1 + f]) vs \(numericV)")
      }
    }
  }

  /// The tape networks, instantiated in Double: every parameter tensor's gradient at a few positions.
  func checkNetwork<N: NeuralNetwork>(
    _ network: N, _ table: ParameterTable<Double>, data: LoggedDataset, conversion: ConversionLearning = .none
  ) throws where N.Scalar == Double {
    let model = NeuralInterestModel(network: network, parameters: table, learningRate: 0.01, conversion: conversion)
    var rows = EncodedRows()
    network.encoder.encode(
      data.batch,
      ExampleRows(count: data.count, candidatesPerDecision: 1, shown: [Int32](repeating: 0, count: data.count)),
      into: &rows)
    let clicks = data.clicks, conversions = data.conversions
    let (_, gradients) = try model.lossAndGradients(rows, clicks: clicks, conversions: conversions)
    var stream = RandomStream(key: StreamKey(seed: 1).child("positions"))
    let original = model.parameters
    for (p, gradient) in gradients.enumerated() {
      let dense: Tensor<Double>
      switch gradient {
      case .none: continue
      case .dense(let g): dense = g
      case .rows(let rows): dense = rows.densified()
      }
      let g = dense.scalars
      // Check touched entries (non-zero gradient) and a random one.
      var positions = g.indices.filter { g[$0] != 0 }.prefix(3).map { $0 }
      positions.append(stream.int(below: g.count))
      for i in positions {
        func loss(_ delta: Double) throws -> Double {
          var shifted = original
          shifted[p].withUnsafeMutableBufferPointer { $0[i] += delta }
          model.parameters = shifted
          return try model.lossAndGradients(rows, clicks: clicks, conversions: conversions).loss
        }
        let numeric = (try loss(1e-6) - loss(-1e-6)) / 2e-6
        model.parameters = original
        #expect(
          Self.close(g[i], numeric, 1e-5), "\(network.parameterNames[p])[\(i)]: tape \(g[i]) vs numeric \(numeric)")
      }
    }
  }

  @Test func deepFMGradientsMatchFiniteDifferences() throws {
    let (data, schema) = try ModelTestSupport.logged(
      "{ plugin: contextual, params: { link: logistic, arms: 3, dimension: 3, conversions: true } }", count: 24)
    for conversion in ConversionLearning.allCases {
      var params = DeepFMNetwork<Double>.Params()
      params.buckets = 64
      params.embedding = 4
      params.hidden = [5]
      params.conversion = conversion
      let (network, table) = try DeepFMNetwork<Double>.make(params, schema: schema, key: StreamKey(seed: 2))
      try checkNetwork(network, table, data: data, conversion: conversion)
    }
  }

  @Test func dinGradientsMatchFiniteDifferences() throws {
    let (data, schema) = try ModelTestSupport.logged(ModelTestSupport.historyMarket, count: 16)
    for attention in [true, false] {
      var params = DeepInterestNetwork<Double>.Params()
      params.buckets = 64
      params.embedding = 4
      params.attentionHidden = 5
      params.hidden = [6]
      params.attention = attention
      let (network, table) = try DeepInterestNetwork<Double>.make(params, schema: schema, key: StreamKey(seed: 2))
      try checkNetwork(network, table, data: data)
    }
  }

  @Test func twoTowerGradientsMatchFiniteDifferences() throws {
    let (data, schema) = try ModelTestSupport.logged(ModelTestSupport.linearMarket, count: 16)
    var params = TwoTowerNetwork<Double>.Params()
    params.buckets = 64
    params.embedding = 3
    params.tower = [5, 4]
    let (network, table) = try TwoTowerNetwork<Double>.make(params, schema: schema, key: StreamKey(seed: 2))
    try checkNetwork(network, table, data: data)
  }
}
