import Foundation

/// One finished job's result as bytes, for the run's resume folder: little-endian, ending in the sha256 of
/// everything before it, so a record cut short or damaged is recognised and the job run again.
///
/// ```
/// "ADLBJOB1"                     magic (8 bytes)
/// u64 job index, u64 window count, u32 values per totals (24)
/// f64 × 24                       the job's totals, then 24 per window
/// u8 0 | 1                       decision log absent | present, then u64 length + UTF-8 of its header and rows
/// 32 bytes                       sha256 of every preceding byte
/// ```
enum JobRecord {
  static let magic = Array("ADLBJOB1".utf8)

  static func encode(_ result: JobResult, index: Int) -> Data {
    var out = RecordByteWriter()
    out.bytes(magic)
    out.u64(UInt64(index))
    out.u64(UInt64(result.windows.count))
    out.u32(UInt32(MetricTotals.storedFieldCount))
    for value in result.totals.storedFields { out.f64(value) }
    for window in result.windows {
      for value in window.storedFields { out.f64(value) }
    }
    if let log = result.decisionLog {
      out.u8(1)
      out.text(log.header)
      out.text(log.text)
    } else {
      out.u8(0)
    }
    out.bytes(Array(SHA256Digest.of(out.data)))
    return out.data
  }

  /// The job result in `data`, which must be the record of job `index`.
  static func decode(_ data: Data, index: Int) throws(ResumeError) -> JobResult {
    guard data.count > 32 + magic.count else { throw .damagedRecord(reason: "shorter than a record") }
    let body = data.prefix(data.count - 32)
    guard Array(SHA256Digest.of(body)) == Array(data.suffix(32)) else {
      throw .damagedRecord(reason: "its sha256 does not match its contents")
    }
    var input = RecordByteReader(body)
    guard try input.bytes(magic.count) == magic else { throw .damagedRecord(reason: "not a job record") }
    guard try input.u64() == UInt64(index) else { throw .damagedRecord(reason: "it holds another job") }
    let windowCount = try input.count(limit: input.remaining / 8)
    guard try input.u32() == UInt32(MetricTotals.storedFieldCount) else {
      throw .damagedRecord(reason: "written by an AdLab with other metrics")
    }
    func totals() throws(ResumeError) -> MetricTotals {
      var fields = [Double]()
      fields.reserveCapacity(MetricTotals.storedFieldCount)
      for _ in 0..<MetricTotals.storedFieldCount { fields.append(try input.f64()) }
      return MetricTotals(storedFields: fields)
    }
    let jobTotals = try totals()
    var windows = [MetricTotals]()
    windows.reserveCapacity(windowCount)
    for _ in 0..<windowCount { windows.append(try totals()) }
    var log: DecisionLog?
    if try input.u8() == 1 {
      var decoded = DecisionLog(header: try input.text())
      decoded.text = try input.text()
      log = decoded
    }
    guard input.remaining == 0 else { throw .damagedRecord(reason: "trailing bytes") }
    return JobResult(totals: jobTotals, windows: windows, decisionLog: log)
  }
}

extension MetricTotals {
  /// How many numbers `storedFields` holds.
  static let storedFieldCount = 24

  /// Every sum, in a fixed order (the market counters last), for job records.
  var storedFields: [Double] {
    let h = market.frequencyHistogram
    return [
      decisions, impressions, clicks, conversions, revenue, margin, cost, reward, regret, predicted, predictedClicks,
      logLoss, market.budget, market.userDays, market.retentionBase, market.retained,
      h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
    ]
  }

  /// Totals from `storedFields` (exactly `storedFieldCount` values).
  init(storedFields f: [Double]) {
    self.init()
    (decisions, impressions, clicks, conversions, revenue, margin) = (f[0], f[1], f[2], f[3], f[4], f[5])
    (cost, reward, regret, predicted, predictedClicks, logLoss) = (f[6], f[7], f[8], f[9], f[10], f[11])
    (market.budget, market.userDays, market.retentionBase, market.retained) = (f[12], f[13], f[14], f[15])
    market.frequencyHistogram = SIMD8(f[16], f[17], f[18], f[19], f[20], f[21], f[22], f[23])
  }
}
