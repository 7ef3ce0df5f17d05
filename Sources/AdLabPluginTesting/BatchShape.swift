public import AdLabCore

/// The promises a served `DecisionBatch` makes about its shape: the counts the environment declared, feature arrays
/// sized by its schema, values inside declared cardinalities and vocabularies, finite dense features, steps inside
/// the asked range, candidate ids below the ad count.
public enum BatchShape {
  /// What is wrong with `batch`, served for steps `firstStep ..< firstStep + count` by an environment that declares
  /// `schema`, `candidates` per decision, `slots` per decision and `adCount` distinct ads (empty: nothing).
  public static func problems(
    _ batch: DecisionBatch, schema: FeatureSchema, candidates k: Int, slots: Int, adCount: Int, firstStep: Int,
    count: Int
  ) -> [String] {
    var problems: [String] = []
    if batch.schema != schema {
      problems.append("the batch carries a schema other than the environment's featureSchema")
    }
    if batch.candidateCount != k {
      problems.append("candidateCount \(batch.candidateCount), the environment says \(k)")
    }
    if batch.slotCount != slots { problems.append("slotCount \(batch.slotCount), the environment says \(slots)") }
    let n = batch.count
    if n > count { problems.append("\(n) decisions for \(count) steps") }
    var previous = firstStep - 1
    for step in batch.steps {
      if step <= previous || step >= firstStep + count {
        problems.append("steps \(batch.steps.prefix(8))… are not increasing inside \(firstStep)..<\(firstStep + count)")
        break
      }
      previous = step
    }
    if !batch.candidateIDs.isEmpty, let bad = batch.candidateIDs.first(where: { $0 >= UInt64(max(adCount, 0)) }) {
      problems.append("candidate id \(bad) is not below adCount \(adCount)")
    }
    guard problems.isEmpty else { return problems }
    let f = batch.features
    let sizes: [(String, Int, Int)] = [
      ("decisionCategorical", f.decisionCategorical.count, n * schema.decisionCategorical.count),
      ("candidateCategorical", f.candidateCategorical.count, n * k * schema.candidateCategorical.count),
      ("decisionDense", f.decisionDense.count, n * schema.decisionDenseWidth),
      ("candidateDense", f.candidateDense.count, n * k * schema.candidateDenseWidth),
      ("sequences", f.sequences.count, n * schema.sequenceWidth),
      ("sequenceLengths", f.sequenceLengths.count, n * schema.sequences.count),
    ]
    for (name, actual, expected) in sizes where actual != expected {
      problems.append("features.\(name) has \(actual) entries, the schema asks for \(expected)")
    }
    guard problems.isEmpty else { return problems }
    problems += categoricalProblems(f.decisionCategorical, fields: schema.decisionCategorical)
    problems += categoricalProblems(f.candidateCategorical, fields: schema.candidateCategorical)
    if let bad = (f.decisionDense + f.candidateDense).first(where: { !$0.isFinite }) {
      problems.append("a dense feature is \(bad)")
    }
    problems += sequenceProblems(f, schema: schema, decisions: n)
    return problems
  }

  /// Values of row-major categorical columns against each field's declared cardinality.
  static func categoricalProblems(_ values: [UInt64], fields: [FeatureSchema.Categorical]) -> [String] {
    guard !fields.isEmpty else { return [] }
    for (index, value) in values.enumerated() {
      let field = fields[index % fields.count]
      if let cardinality = field.cardinality, value >= UInt64(max(cardinality, 0)) {
        return ["categorical '\(field.name)' has value \(value), its declared cardinality is \(cardinality)"]
      }
    }
    return []
  }

  /// Lengths within `maxLength`, ids of the used positions inside the vocabulary, padding zero.
  static func sequenceProblems(_ f: FeatureBatch, schema: FeatureSchema, decisions n: Int) -> [String] {
    let width = schema.sequenceWidth
    for i in 0..<n {
      var start = i * width
      for (s, sequence) in schema.sequences.enumerated() {
        let length = Int(f.sequenceLengths[i * schema.sequences.count + s])
        if length < 0 || length > sequence.maxLength {
          return [
            "sequence '\(sequence.name)' of decision \(i) has length \(length), its maxLength is \(sequence.maxLength)"
          ]
        }
        for position in 0..<sequence.maxLength {
          let id = f.sequences[start + position]
          if position >= length && id != 0 {
            return [
              "sequence '\(sequence.name)' of decision \(i) has id \(id) after its length \(length) (padding must be 0)"
            ]
          }
          if position < length, let vocabulary = sequence.vocabulary, id >= UInt64(max(vocabulary, 0)) {
            return [
              "sequence '\(sequence.name)' of decision \(i) has id \(id), its declared vocabulary is \(vocabulary)"
            ]
          }
        }
        start += sequence.maxLength
      }
    }
    return []
  }
}
