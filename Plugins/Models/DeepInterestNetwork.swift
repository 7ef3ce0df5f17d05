import AdLabCore
import AdLabTensor

/// Deep Interest Network (Zhou et al. 2018): the user's behaviour sequence is pooled with weights that depend on
/// the candidate ad, so the same history gives a different user vector for each candidate.
///
/// With h_j the embeddings of the sequence's items, q the embedding of the candidate's item (a field hashed
/// into the same vocabulary, so equal items share an embedding) and m_j the 0/1 padding mask:
/// ```
/// a_j   = m_j · MLP_att([h_j, q, h_j ⊙ q, h_j − q])        (no softmax: the paper keeps the intensity)
/// u     = Σ_j a_j h_j                                       (sum pooling when attention is off: a_j = m_j)
/// logit = MLP([every field's embedding, dense features, u])
/// ```
struct DeepInterestNetwork<Scalar: TensorScalar>: NeuralNetwork {
  struct Params: PluginParameters {
    var sequence = "history"
    var query = "ad_item"
    var attention = true
    var buckets = 1 << 16
    var embedding = 16
    var attentionHidden = 32
    var hidden = [64, 32]
    var learningRate = 0.01
    init() {}
    static var fields: [ParameterField<Params>] {
      [
        .init(
          "sequence", \.sequence, doc: "the behaviour sequence to attend over (a sequence feature of the environment)"),
        .init(
          "query", \.query,
          doc:
            "the candidate's categorical field whose ids are items of the sequence's vocabulary (default ad_item, or item_id when the environment has only that)"
        ),
        .init(
          "attention", \.attention,
          doc: "false: plain sum pooling of the sequence (the ablation DIN is measured against)"),
        .init(
          "buckets", \.buckets, doc: "rows of the hashed embedding table (fields and sequence items)",
          .range(1...(1 << 24))),
        .init("embedding", \.embedding, doc: "embedding width", .range(1...256)),
        .init("attention_hidden", \.attentionHidden, doc: "hidden width of the attention unit's MLP", .range(1...1024)),
        .init("hidden", \.hidden, doc: "widths of the output MLP's hidden layers (ReLU)", .each(.range(1...4096))),
        .init("learning_rate", \.learningRate, doc: "Adam learning rate", .greaterThan(0)),
      ]
    }
  }

  let encoder: FeatureEncoder
  let parameterNames: [String]
  var hasConversionHead: Bool { false }
  let k: Int
  let attend: Bool
  let queryField: Int
  let embeddings: Int
  let attention: MLP, output: MLP

  static func make(_ params: Params, schema: FeatureSchema, key: StreamKey) throws -> (Self, ParameterTable<Scalar>) {
    let query = resolvedQuery(params.query, schema: schema)
    let encoder = try FeatureEncoder(
      schema: schema, hasher: FeatureHasher(key: key.child("hash"), buckets: params.buckets), sequence: params.sequence,
      sharing: query)
    guard let queryField = encoder.fieldIndex(query) else {
      throw PluginError.invalidParameters(
        "din: no categorical feature '\(query)'; set query to the candidate's item field")
    }
    let k = params.embedding, f = encoder.fieldCount, d = encoder.denseWidth
    var table = ParameterTable<Scalar>()
    let embeddings = table.embedding("embeddings", rows: params.buckets, width: k, key: key)
    let attention = MLP("attention", sizes: [4 * k, params.attentionHidden, 1], key: key, into: &table)
    let output = MLP("output", sizes: [f * k + d + k] + params.hidden + [1], key: key, into: &table)
    let network = Self(
      encoder: encoder, parameterNames: table.names, k: k, attend: params.attention, queryField: queryField,
      embeddings: embeddings, attention: attention, output: output)
    return (network, table)
  }

  /// The query field: as given, except that the default `ad_item` falls back to `item_id` (the item field of
  /// market environments such as `ecommerce`) when the schema has only that one, so a default DIN works on both.
  static func resolvedQuery(_ query: String, schema: FeatureSchema) -> String {
    let names = schema.candidateCategorical.map(\.name)
    if query == "ad_item" && !names.contains(query) && names.contains("item_id") { return "item_id" }
    return query
  }

  func forward(_ rows: EncodedRows, _ p: [Variable<Scalar>], tape: Tape<Scalar>) throws -> NetworkHeads<Scalar> {
    let n = rows.count, f = encoder.fieldCount, d = encoder.denseWidth, l = encoder.sequenceLength
    let table = p[embeddings]
    let fields = try table.gather(rows: rows.categorical).reshaped([n, f, k])
    let history = try table.gather(rows: rows.sequence).reshaped([n, l, k])
    let mask = tape.constant(Tensor(shape: [n, l, 1], scalars: rows.sequenceMask.map { Scalar($0) }))
    var weights = mask
    if attend {
      let query = try fields.slice(axis: 1, queryField..<(queryField + 1)).broadcasted(to: [n, l, k])
      let unit = try Variable.concatenate([history, query, history * query, history - query], axis: 2)
      let scores = try attention(unit.reshaped([n * l, 4 * k]), p).reshaped([n, l, 1])
      weights = try scores * mask
    }
    let pooled = try (history * weights).sum(axis: 1)
    var inputs = [try fields.reshaped([n, f * k]), pooled]
    if d > 0 { inputs.append(tape.constant(rows.denseTensor(0..<d, width: d) as Tensor<Scalar>)) }
    let logit = try output(Variable.concatenate(inputs, axis: 1), p).reshaped([n])
    return NetworkHeads(click: logit, conversion: nil)
  }
}
