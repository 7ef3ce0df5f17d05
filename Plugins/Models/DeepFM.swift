import AdLabCore
import AdLabTensor

/// DeepFM (Guo et al. 2017): a factorization machine and an MLP that share one embedding per feature.
///
/// Each categorical field contributes its hashed bucket's embedding e_f (k wide) and linear weight; each dense
/// column j contributes x_j · v_j and x_j · w_j. With E the `[rows, fields, k]` stack of all of them:
/// ```
/// logit = b + Σ linear + ½ Σ_k [(Σ_f E_f)² − Σ_f E_f²] + MLP(flatten E)
/// ```
/// With a conversion head (`conversion: clicked` or `esmm`) a second MLP tower over the same embeddings gives
/// the pCVR logit: the shared-bottom multi-task model.
struct DeepFMNetwork<Scalar: TensorScalar>: NeuralNetwork {
  struct Params: PluginParameters {
    var buckets = 1 << 16
    var embedding = 16
    var hidden = [64, 32]
    var learningRate = 0.01
    var conversion = ConversionLearning.none
    init() {}
    static var fields: [ParameterField<Params>] {
      [
        .init(
          "buckets", \.buckets, doc: "rows of the hashed embedding table shared by every categorical field",
          .range(1...(1 << 24))),
        .init("embedding", \.embedding, doc: "embedding width k (the FM's factor dimension)", .range(1...256)),
        .init("hidden", \.hidden, doc: "widths of the MLP's hidden layers (ReLU)", .each(.range(1...4096))),
        .init("learning_rate", \.learningRate, doc: "Adam learning rate", .greaterThan(0)),
        .init(
          "conversion", \.conversion,
          doc:
            "pCVR head: none; clicked (a second tower, log loss on clicked rows); esmm (fits pCTR·pCVR to click∧conversion on every row)"
        ),
      ]
    }
  }

  let encoder: FeatureEncoder
  let parameterNames: [String]
  let hasConversionHead: Bool
  let k: Int
  let embeddings: Int, linear: Int, bias: Int
  let denseFactors: Int?, denseLinear: Int?
  let deep: MLP, conversionDeep: MLP?

  static func make(_ params: Params, schema: FeatureSchema, key: StreamKey) throws -> (Self, ParameterTable<Scalar>) {
    let encoder = try FeatureEncoder(
      schema: schema, hasher: FeatureHasher(key: key.child("hash"), buckets: params.buckets))
    let f = encoder.fieldCount, d = encoder.denseWidth, k = params.embedding
    guard f + d > 0 else { throw PluginError.invalidParameters("deepfm needs features; the environment serves none") }
    var table = ParameterTable<Scalar>()
    let embeddings = table.embedding("embeddings", rows: params.buckets, width: k, key: key)
    let linear = table.add("linear", Tensor.zeros([params.buckets, 1]))
    let bias = table.add("bias", Tensor.zeros([1]))
    let denseFactors = d > 0 ? table.embedding("dense_factors", rows: d, width: k, key: key) : nil
    let denseLinear = d > 0 ? table.add("dense_linear", Tensor.zeros([d, 1])) : nil
    let sizes = [(f + d) * k] + params.hidden + [1]
    let deep = MLP("deep", sizes: sizes, key: key, into: &table)
    let conversion = params.conversion == .none ? nil : MLP("conversion", sizes: sizes, key: key, into: &table)
    let network = Self(
      encoder: encoder, parameterNames: table.names, hasConversionHead: conversion != nil, k: k, embeddings: embeddings,
      linear: linear, bias: bias, denseFactors: denseFactors, denseLinear: denseLinear, deep: deep,
      conversionDeep: conversion)
    return (network, table)
  }

  func forward(_ rows: EncodedRows, _ p: [Variable<Scalar>], tape: Tape<Scalar>) throws -> NetworkHeads<Scalar> {
    let n = rows.count, f = encoder.fieldCount, d = encoder.denseWidth
    var stacks: [Variable<Scalar>] = []
    var logit = try p[bias].broadcasted(to: [n])
    if f > 0 {
      stacks.append(try p[embeddings].gather(rows: rows.categorical).reshaped([n, f, k]))
      logit = try logit + p[linear].gather(rows: rows.categorical).reshaped([n, f]).sum(axis: 1)
    }
    if let denseFactors, let denseLinear {
      let x = tape.constant(rows.denseTensor(0..<d, width: d) as Tensor<Scalar>)
      stacks.append(try x.reshaped([n, d, 1]) * p[denseFactors])
      logit = try logit + x.matmul(p[denseLinear]).reshaped([n])
    }
    let all = stacks.count == 1 ? stacks[0] : try Variable.concatenate(stacks, axis: 1)
    let sum = try all.sum(axis: 1)
    let interactions = try (sum.squared() - all.squared().sum(axis: 1)).sum(axis: 1) * Scalar(0.5)
    let flat = try all.reshaped([n, (f + d) * k])
    logit = try logit + interactions + deep(flat, p).reshaped([n])
    let conversion = try conversionDeep.map { try $0(flat, p).reshaped([n]) }
    return NetworkHeads(click: logit, conversion: conversion)
  }
}
