import AdLabCore

/// Which (decision, candidate) pairs of a batch a model reads: every candidate of every decision (to predict,
/// decision-major) or the shown ad of each decision (to learn).
struct ExampleRows {
  let count: Int
  let candidatesPerDecision: Int
  /// The shown candidate of each decision, or nil for every candidate.
  let shown: [Int32]?

  static func all(_ batch: DecisionBatch) -> ExampleRows {
    ExampleRows(count: batch.count * batch.candidateCount, candidatesPerDecision: batch.candidateCount, shown: nil)
  }

  static func shown(_ batch: DecisionBatch, _ actions: UnsafeBufferPointer<Int32>) -> ExampleRows {
    ExampleRows(
      count: batch.count, candidatesPerDecision: batch.candidateCount, shown: Array(actions.prefix(batch.count)))
  }

  @inline(__always) func decision(_ row: Int) -> Int { shown == nil ? row / candidatesPerDecision : row }
  @inline(__always) func candidate(_ row: Int) -> Int { shown.map { Int($0[row]) } ?? row % candidatesPerDecision }
}

/// A batch's features as numbers, one row per example: hashed buckets of every categorical field (user and
/// context fields first, then ad fields, each in schema order), dense values (decision side, then ad side), and
/// optionally one behaviour sequence as buckets with a 0/1 mask.
struct EncodedRows {
  var count = 0
  var categorical: [Int] = []
  var dense: [Float] = []
  var sequence: [Int] = []
  var sequenceMask: [Float] = []
}

/// Reads features through a `FeatureSchema` and hashes them with a model's `FeatureHasher`.
struct FeatureEncoder: Sendable {
  let hasher: FeatureHasher
  let schema: FeatureSchema
  /// Salts of the categorical fields, decision side then ad side.
  let salts: [UInt64]
  let decisionFields: Int
  let decisionDense: Int
  let candidateDense: Int
  /// The encoded sequence: its columns in `FeatureBatch.sequences`, its index among the schema's sequences, and salt.
  let sequence: (columns: Range<Int>, index: Int, salt: UInt64)?

  var fieldCount: Int { salts.count }
  var denseWidth: Int { decisionDense + candidateDense }
  var sequenceLength: Int { sequence?.columns.count ?? 0 }
  /// Field names in encoded order.
  var fieldNames: [String] { (schema.decisionCategorical + schema.candidateCategorical).map(\.name) }

  /// - Parameters:
  ///   - sequence: a behaviour sequence to encode (nil for none).
  ///   - sharing: a categorical field whose ids are items of the sequence's vocabulary (a candidate's item for
  ///     attention); it is hashed with the sequence's salt so equal ids share embeddings.
  /// - Throws: `PluginError.invalidParameters` naming what is missing from the schema.
  init(schema: FeatureSchema, hasher: FeatureHasher, sequence: String? = nil, sharing: String? = nil) throws {
    self.schema = schema
    self.hasher = hasher
    decisionFields = schema.decisionCategorical.count
    decisionDense = schema.decisionDenseWidth
    candidateDense = schema.candidateDenseWidth
    var sequenceSalt: UInt64?
    if let sequence {
      guard let index = schema.sequences.firstIndex(where: { $0.name == sequence }),
        let columns = schema.columns(of: sequence)
      else {
        let known = schema.sequences.map(\.name)
        throw PluginError.invalidParameters(
          "the environment serves no behaviour sequence '\(sequence)'"
            + (known.isEmpty
              ? " (it serves none; e.g. contextual with history: 20)" : "; it serves: " + known.joined(separator: ", "))
        )
      }
      let salt = hasher.salt("sequence-vocabulary:" + sequence)
      self.sequence = (columns, index, salt)
      sequenceSalt = salt
    } else {
      self.sequence = nil
    }
    let fields = schema.decisionCategorical + schema.candidateCategorical
    if let sharing, !fields.contains(where: { $0.name == sharing }) {
      throw PluginError.invalidParameters(
        "no categorical feature '\(sharing)' to match against the sequence; categorical features: "
          + fields.map(\.name).joined(separator: ", "))
    }
    salts = fields.map { field in
      if field.name == sharing, let sequenceSalt { return sequenceSalt }
      return hasher.salt("field:" + field.name)
    }
  }

  /// The encoded position of a categorical field, or nil.
  func fieldIndex(_ name: String) -> Int? { fieldNames.firstIndex(of: name) }

  /// The raw id of categorical field `field` (encoded order) for `row`.
  @inline(__always)
  func rawID(
    _ features: UnsafeBufferPointer<UInt64>, _ candidateFeatures: UnsafeBufferPointer<UInt64>, field: Int,
    decision: Int, candidateRow: Int
  ) -> UInt64 {
    field < decisionFields
      ? features[decision * decisionFields + field]
      : candidateFeatures[candidateRow * (salts.count - decisionFields) + field - decisionFields]
  }

  func encode(_ batch: DecisionBatch, _ rows: ExampleRows, into out: inout EncodedRows) {
    let n = rows.count, f = fieldCount, w = denseWidth, l = sequenceLength
    let k = batch.candidateCount
    out.count = n
    out.categorical = [Int](repeating: 0, count: n * f)
    out.dense = [Float](repeating: 0, count: n * w)
    out.sequence = [Int](repeating: 0, count: n * l)
    out.sequenceMask = [Float](repeating: 0, count: n * l)
    let features = batch.features
    features.decisionCategorical.withUnsafeBufferPointer { dc in
      features.candidateCategorical.withUnsafeBufferPointer { cc in
        out.categorical.withUnsafeMutableBufferPointer { cat in
          for r in 0..<n {
            let d = rows.decision(r), candidateRow = d * k + rows.candidate(r)
            for j in 0..<f {
              cat[r * f + j] = hasher.bucket(
                rawID(dc, cc, field: j, decision: d, candidateRow: candidateRow), salt: salts[j])
            }
          }
        }
      }
    }
    if w > 0 {
      features.decisionDense.withUnsafeBufferPointer { dd in
        features.candidateDense.withUnsafeBufferPointer { cd in
          out.dense.withUnsafeMutableBufferPointer { dense in
            for r in 0..<n {
              let d = rows.decision(r), candidateRow = d * k + rows.candidate(r)
              for j in 0..<decisionDense { dense[r * w + j] = dd[d * decisionDense + j] }
              for j in 0..<candidateDense { dense[r * w + decisionDense + j] = cd[candidateRow * candidateDense + j] }
            }
          }
        }
      }
    }
    if let sequence {
      let width = schema.sequenceWidth, lengths = schema.sequences.count
      for r in 0..<n {
        let d = rows.decision(r)
        let length = min(Int(features.sequenceLengths[d * lengths + sequence.index]), l)
        for j in 0..<l {
          let id = features.sequences[d * width + sequence.columns.lowerBound + j]
          out.sequence[r * l + j] = hasher.bucket(id, salt: sequence.salt)
          out.sequenceMask[r * l + j] = j < length ? 1 : 0
        }
      }
    }
  }
}
