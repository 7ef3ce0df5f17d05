import AdLabCore
import Foundation

/// Features as fixed-width sparse rows of (index, value), the input of the linear and factorization models:
/// every categorical field's bucket (value 1), every behaviour sequence as a bag of items (each item's bucket,
/// value 1/length, padding 0), each declared cross, then every dense column (index `buckets + column`,
/// value x). Indices run below `indexCount`.
struct SparseLayout: Sendable {
  /// A declared conjunction of two features, hashed into the buckets.
  enum Cross: Sendable {
    /// Two categorical fields (encoded positions): one entry, value 1.
    case categorical(Int, Int, salt: UInt64)
    /// A categorical field and a dense feature's columns (in encoded dense order): one entry per column, value x.
    case dense(field: Int, columns: Range<Int>, salt: UInt64)
    /// A categorical field and each item of a sequence (schema index): one entry per position, value 1/length.
    case sequence(field: Int, index: Int, salt: UInt64)

    func width(_ schema: FeatureSchema) -> Int {
      switch self {
      case .categorical: return 1
      case .dense(_, let columns, _): return columns.count
      case .sequence(_, let index, _): return schema.sequences[index].maxLength
      }
    }
  }

  let encoder: FeatureEncoder
  let crosses: [Cross]
  /// Salt of each sequence's bag of items.
  let sequenceSalts: [UInt64]
  /// Entries per row.
  let width: Int
  /// Rows of the model's tables: hashed buckets, then one per dense column.
  var indexCount: Int { encoder.hasher.buckets + encoder.denseWidth }

  /// - Parameter crosses: "a*b" pairs of feature names, at least one of them categorical.
  /// - Throws: `PluginError.invalidParameters` for malformed or unknown names.
  init(encoder: FeatureEncoder, crosses names: [String]) throws {
    self.encoder = encoder
    let schema = encoder.schema
    var crosses: [Cross] = []
    for text in names {
      let parts = text.split(separator: "*").map { String($0).trimmingCharacters(in: .whitespaces) }
      guard parts.count == 2 else {
        throw PluginError.invalidParameters("cross '\(text)' must name two features as 'a*b'")
      }
      func denseColumns(_ name: String) -> Range<Int>? {
        guard let field = schema.dense.first(where: { $0.name == name }), let columns = schema.columns(of: name) else {
          return nil
        }
        return field.side.isPerCandidate
          ? (columns.lowerBound + encoder.decisionDense)..<(columns.upperBound + encoder.decisionDense) : columns
      }
      let salt = encoder.hasher.salt("cross:" + text)
      func sequenceIndex(_ name: String) -> Int? { schema.sequences.firstIndex { $0.name == name } }
      switch (encoder.fieldIndex(parts[0]), encoder.fieldIndex(parts[1])) {
      case (let a?, let b?): crosses.append(.categorical(a, b, salt: salt))
      case (let a?, nil) where sequenceIndex(parts[1]) != nil:
        crosses.append(.sequence(field: a, index: sequenceIndex(parts[1]) ?? 0, salt: salt))
      case (nil, let b?) where sequenceIndex(parts[0]) != nil:
        crosses.append(.sequence(field: b, index: sequenceIndex(parts[0]) ?? 0, salt: salt))
      case (let a?, nil):
        guard let columns = denseColumns(parts[1]) else { throw Self.unknown(parts[1], in: text, schema: schema) }
        crosses.append(.dense(field: a, columns: columns, salt: salt))
      case (nil, let b?):
        guard let columns = denseColumns(parts[0]) else { throw Self.unknown(parts[0], in: text, schema: schema) }
        crosses.append(.dense(field: b, columns: columns, salt: salt))
      case (nil, nil):
        if denseColumns(parts[0]) != nil && denseColumns(parts[1]) != nil {
          throw PluginError.invalidParameters(
            "cross '\(text)' joins two dense features; one side must be categorical (fm learns dense interactions)")
        }
        throw Self.unknown(denseColumns(parts[0]) == nil ? parts[0] : parts[1], in: text, schema: schema)
      }
    }
    self.crosses = crosses
    sequenceSalts = schema.sequences.map { encoder.hasher.salt("sequence:" + $0.name) }
    width = encoder.fieldCount + schema.sequenceWidth + crosses.reduce(0) { $0 + $1.width(schema) } + encoder.denseWidth
  }

  static func unknown(_ name: String, in cross: String, schema: FeatureSchema) -> PluginError {
    let known = (schema.categorical.map(\.name) + schema.dense.map(\.name) + schema.sequences.map(\.name)).joined(
      separator: ", ")
    return .invalidParameters("cross '\(cross)': the environment serves no feature '\(name)' (features: \(known))")
  }

  /// Writes `rows.count × width` entries.
  func encode(_ batch: DecisionBatch, _ rows: ExampleRows, indices: inout [Int32], values: inout [Float]) {
    let n = rows.count, k = batch.candidateCount, f = encoder.fieldCount, buckets = encoder.hasher.buckets
    let dd = encoder.decisionDense, cd = encoder.candidateDense
    indices.removeAll(keepingCapacity: true)
    values.removeAll(keepingCapacity: true)
    indices.append(contentsOf: repeatElement(0, count: n * width))
    values.append(contentsOf: repeatElement(1, count: n * width))
    let features = batch.features
    var ids = [UInt64](repeating: 0, count: f)
    let schema = encoder.schema, sequenceCount = schema.sequences.count, sequenceWidth = schema.sequenceWidth
    let sequenceStarts = schema.sequences.map { schema.columns(of: $0.name)?.lowerBound ?? 0 }
    var dense = [Float](repeating: 0, count: dd + cd)
    indices.withUnsafeMutableBufferPointer { index in
      values.withUnsafeMutableBufferPointer { value in
        features.decisionCategorical.withUnsafeBufferPointer { dcat in
          features.candidateCategorical.withUnsafeBufferPointer { ccat in
            features.decisionDense.withUnsafeBufferPointer { dden in
              features.candidateDense.withUnsafeBufferPointer { cden in
                for r in 0..<n {
                  let d = rows.decision(r), candidateRow = d * k + rows.candidate(r)
                  var e = r * width
                  for j in 0..<f {
                    let id = encoder.rawID(dcat, ccat, field: j, decision: d, candidateRow: candidateRow)
                    ids[j] = id
                    index[e] = Int32(truncatingIfNeeded: encoder.hasher.bucket(id, salt: encoder.salts[j]))
                    e += 1
                  }
                  for (s, sequence) in schema.sequences.enumerated() {
                    let start = sequenceStarts[s],
                      length = min(Int(features.sequenceLengths[d * sequenceCount + s]), sequence.maxLength)
                    let weight: Float = length > 0 ? 1 / Float(length) : 0
                    for j in 0..<sequence.maxLength {
                      index[e] = Int32(
                        truncatingIfNeeded: encoder.hasher.bucket(
                          features.sequences[d * sequenceWidth + start + j], salt: sequenceSalts[s]))
                      value[e] = j < length ? weight : 0
                      e += 1
                    }
                  }
                  for j in 0..<dd { dense[j] = dden[d * dd + j] }
                  for j in 0..<cd { dense[dd + j] = cden[candidateRow * cd + j] }
                  for cross in crosses {
                    switch cross {
                    case .categorical(let a, let b, let salt):
                      index[e] = Int32(truncatingIfNeeded: encoder.hasher.bucket(ids[a], ids[b], salt: salt))
                      e += 1
                    case .dense(let field, let columns, let salt):
                      for c in columns {
                        index[e] = Int32(truncatingIfNeeded: encoder.hasher.bucket(ids[field], UInt64(c), salt: salt))
                        value[e] = dense[c]
                        e += 1
                      }
                    case .sequence(let field, let s, let salt):
                      let maxLength = schema.sequences[s].maxLength, start = sequenceStarts[s]
                      let length = min(Int(features.sequenceLengths[d * sequenceCount + s]), maxLength)
                      for j in 0..<maxLength {
                        let item = features.sequences[d * sequenceWidth + start + j]
                        index[e] = Int32(truncatingIfNeeded: encoder.hasher.bucket(ids[field], item, salt: salt))
                        value[e] = j < length ? 1 / Float(length) : 0
                        e += 1
                      }
                    }
                  }
                  for j in 0..<(dd + cd) {
                    index[e] = Int32(truncatingIfNeeded: buckets + j)
                    value[e] = dense[j]
                    e += 1
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
