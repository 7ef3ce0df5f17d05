import AdLabCore

extension FrameWriter {
  /// The batch body shared by `decide` and `learn` (docs/process-protocol.md, "Batch"): a header, then the
  /// arrays the schema and the flags call for, each exactly as long as the header says.
  mutating func batch(_ batch: DecisionBatch, propensitiesWanted: Bool) {
    let n = batch.count, k = batch.candidateCount, schema = batch.schema
    let clicks = batch.predictions.map { $0.click.count == n * k } ?? false
    let conversions = batch.predictions.map { $0.conversion.count == n * k } ?? false
    var flags: UInt32 = 0
    if propensitiesWanted { flags |= ProcessProtocol.Flag.propensitiesWanted }
    if !batch.candidateIDs.isEmpty { flags |= ProcessProtocol.Flag.candidateIDs }
    if clicks { flags |= ProcessProtocol.Flag.clickPredictions }
    if conversions { flags |= ProcessProtocol.Flag.conversionPredictions }
    count(n)
    count(batch.slotCount)
    count(k)
    u32(flags)
    array(batch.steps.map { Int64($0) }, count: n)
    array(batch.userIDs, count: n)
    if !batch.candidateIDs.isEmpty { array(batch.candidateIDs, count: n * k) }
    let features = batch.features
    array(features.decisionCategorical, count: n * schema.decisionCategorical.count)
    array(features.candidateCategorical, count: n * k * schema.candidateCategorical.count)
    array(features.decisionDense, count: n * schema.decisionDenseWidth)
    array(features.candidateDense, count: n * k * schema.candidateDenseWidth)
    array(features.sequences, count: n * schema.sequenceWidth)
    array(features.sequenceLengths, count: n * schema.sequences.count)
    if clicks, let p = batch.predictions { array(p.click, count: n * k) }
    if conversions, let p = batch.predictions { array(p.conversion, count: n * k) }
  }
}
