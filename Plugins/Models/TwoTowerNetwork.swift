import AdLabCore
import AdLabTensor

/// Two towers (the retrieval model of YouTube and of most ad systems): a user tower over the user and context
/// features and an ad tower over the ad's features (ids and dense vectors such as text embeddings), scored by
///
/// ```
/// logit = ⟨MLP_user(user features), MLP_ad(ad features)⟩ + w · (ad features) + b
/// ```
/// The ad-side linear term gives each ad its own base rate. The towers never see each other's inputs, so ad
/// vectors can be precomputed and searched by nearest neighbour.
struct TwoTowerNetwork<Scalar: TensorScalar>: NeuralNetwork {
  struct Params: PluginParameters {
    var buckets = 1 << 16
    var embedding = 16
    var tower = [64, 32]
    var learningRate = 0.01
    var ignoreFeatures: [String] = []
    init() {}
    static var fields: [ParameterField<Params>] {
      [
        .init(
          "buckets", \.buckets, doc: "rows of the hashed embedding table shared by every categorical field",
          .range(1...(1 << 24))),
        .init("embedding", \.embedding, doc: "embedding width of categorical fields", .range(1...256)),
        .init(
          "tower", \.tower, doc: "layer widths of each tower; the last is the dimension of the dot product",
          .each(.range(1...4096))),
        .init("learning_rate", \.learningRate, doc: "Adam learning rate", .greaterThan(0)),
        .init(
          "ignore_features", \.ignoreFeatures,
          doc:
            "dense features the model leaves out, e.g. [item_text, ad_text, history_text] for a text-blind variant on the same environment"
        ),
      ]
    }
    func crossFieldProblems() -> [String] {
      tower.isEmpty ? ["tower needs at least one width (the output dimension)"] : []
    }
  }

  let encoder: FeatureEncoder
  let parameterNames: [String]
  var hasConversionHead: Bool { false }
  let k: Int
  let embeddings: Int, adLinear: Int, bias: Int
  let user: MLP, ad: MLP

  static func make(_ params: Params, schema: FeatureSchema, key: StreamKey) throws -> (Self, ParameterTable<Scalar>) {
    let encoder = try FeatureEncoder(
      schema: schema, hasher: FeatureHasher(key: key.child("hash"), buckets: params.buckets))
    let k = params.embedding
    let userWidth = encoder.decisionFields * k + encoder.decisionDense
    let adWidth = (encoder.fieldCount - encoder.decisionFields) * k + encoder.candidateDense
    guard userWidth > 0, adWidth > 0 else {
      throw PluginError.invalidParameters(
        "two-tower needs user or context features and ad features; the environment serves "
          + (userWidth == 0 ? "no user or context features" : "no ad features"))
    }
    var table = ParameterTable<Scalar>()
    let embeddings = table.embedding("embeddings", rows: params.buckets, width: k, key: key)
    let user = MLP("user_tower", sizes: [userWidth] + params.tower, key: key, into: &table)
    let ad = MLP("ad_tower", sizes: [adWidth] + params.tower, key: key, into: &table)
    let adLinear = table.add("ad_linear", Tensor.zeros([adWidth, 1]))
    let bias = table.add("bias", Tensor.zeros([1]))
    let network = Self(
      encoder: encoder, parameterNames: table.names, k: k, embeddings: embeddings, adLinear: adLinear, bias: bias,
      user: user, ad: ad)
    return (network, table)
  }

  /// One side's input: its fields' embeddings and its dense columns, `[rows, width]`.
  func sideInput(
    _ rows: EncodedRows, fields: Range<Int>, dense: Range<Int>, _ p: [Variable<Scalar>], tape: Tape<Scalar>
  ) throws -> Variable<Scalar> {
    var parts: [Variable<Scalar>] = []
    if !fields.isEmpty {
      parts.append(try p[embeddings].embedded(rows.buckets(fields: fields, of: encoder.fieldCount), rows: rows.count))
    }
    if !dense.isEmpty {
      parts.append(tape.constant(rows.denseTensor(dense, width: encoder.denseWidth) as Tensor<Scalar>))
    }
    return parts.count == 1 ? parts[0] : try Variable.concatenate(parts, axis: 1)
  }

  func forward(_ rows: EncodedRows, _ p: [Variable<Scalar>], tape: Tape<Scalar>) throws -> NetworkHeads<Scalar> {
    let n = rows.count, split = encoder.decisionFields, dd = encoder.decisionDense
    let userInput = try sideInput(rows, fields: 0..<split, dense: 0..<dd, p, tape: tape)
    let adInput = try sideInput(rows, fields: split..<encoder.fieldCount, dense: dd..<encoder.denseWidth, p, tape: tape)
    let score = try (user(userInput, p) * ad(adInput, p)).sum(axis: 1)
    let logit = try score + adInput.matmul(p[adLinear]).reshaped([n]) + p[bias].broadcasted(to: [n])
    return NetworkHeads(click: logit, conversion: nil)
  }
}
