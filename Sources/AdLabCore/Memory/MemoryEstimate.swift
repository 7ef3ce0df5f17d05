/// What a run will hold in memory at its peak, from the spec alone, before anything is allocated: each job's
/// environment, model and policy (a job builds its own), times the jobs running at once, plus what the run keeps
/// until the bundle is written (every job's windows, the rendered series, the decision log, training examples).
///
/// Estimates count the large arrays only (what grows with users, items, arms, buckets, replications, horizon …), so
/// they are lower bounds; the limit leaves room for the rest.
public struct MemoryEstimate: Sendable {
  /// One contribution, with where in the spec it comes from.
  public struct Line: Sendable {
    public var what: String
    public var bytes: Int
    /// The key path that sizes it, and where that key is in the spec (nil: not written in the spec).
    public var path: String
    public var mark: SourceMark?
    public var bytesPerUnit: Int?
  }

  /// One job's needs: the environment's and the largest variant's model and policy.
  public var perJob: [Line]
  /// Kept for the whole run, whatever the number of jobs.
  public var retained: [Line]
  /// Jobs the run has (variants × replications, or the models of a training run).
  public var jobCount: Int

  /// Peak bytes with `jobs` jobs at once.
  public func total(jobs: Int) -> Int {
    let concurrent = max(1, min(jobs, jobCount))
    return MemoryNeed.sum([MemoryNeed.product(concurrent, MemoryNeed.sum(perJob.map(\.bytes)))] + retained.map(\.bytes))
  }

  /// The lines, largest first, as "what = size; …".
  public var breakdown: String {
    (perJob.map { ("one job: " + $0.what, $0.bytes) } + retained.map { ($0.what, $0.bytes) })
      .filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }.prefix(4)
      .map { "\($0.0) = \(ByteCount.describe($0.1))" }.joined(separator: "; ")
  }

  /// The largest line that a spec key sizes.
  var largest: Line? { (perJob + retained).max { $0.bytes < $1.bytes } }

  /// A suggestion for the largest line: the value of its key that would fit, when it grows linearly.
  func suggestion(limit: Int, jobs: Int) -> String? {
    guard let line = largest, let unit = line.bytesPerUnit, unit > 0 else { return nil }
    let isPerJob = perJob.contains { $0.path == line.path && $0.what == line.what }
    let others = total(jobs: jobs) - line.bytes * (isPerJob ? max(1, min(jobs, jobCount)) : 1)
    let room = (limit - others) / (isPerJob ? max(1, min(jobs, jobCount)) : 1)
    guard room >= unit else { return nil }
    return "at most \(room / unit) fit in the limit"
  }
}

/// A run refused before it started because its estimate exceeds the limit (`--jobs` decides, not the spec alone;
/// a spec that cannot fit even with one job is a spec error found by `validate`).
public struct MemoryLimitExceeded: Error, CustomStringConvertible {
  public var estimate: Int
  public var limit: MemoryLimit
  public var jobs: Int
  public var perJob: Int
  public var breakdown: String
  /// The most jobs that fit, 0 when not even one does.
  public var jobsThatFit: Int

  public var description: String {
    var text =
      "this run needs about \(ByteCount.describe(estimate)) of memory with --jobs \(jobs) "
      + "(\(ByteCount.describe(perJob)) per job; \(breakdown)), more than the limit \(limit)"
    if jobsThatFit > 0 { text += "; use --jobs \(jobsThatFit) or fewer, or raise --max-memory" }
    return text
  }
}

extension ExperimentSpec {
  /// The memory estimate of running (or, with `training`, of `adlab train`-ing) this spec.
  public func memoryEstimate(training: Bool = false) -> MemoryEstimate {
    MemoryEstimate.of(
      environment: environment, variants: variants, replications: replications, horizon: horizon, batch: batchSize,
      reportEvery: reportEvery, logDecisions: logDecisions,
      training: training ? (self.training ?? TrainingSettings()) : nil, marks: [:])
  }

  /// Refuses a run whose estimate with `jobs` jobs exceeds `limit`.
  public func checkMemory(jobs: Int, training: Bool = false, limit: MemoryLimit = MemoryLimit.current)
    throws(MemoryLimitExceeded)
  {
    let estimate = memoryEstimate(training: training)
    let needed = estimate.total(jobs: jobs)
    guard needed > limit.bytes else { return }
    let perJob = MemoryNeed.sum(estimate.perJob.map(\.bytes))
    let retained = MemoryNeed.sum(estimate.retained.map(\.bytes))
    let fit = perJob > 0 && limit.bytes > retained ? min(jobs - 1, (limit.bytes - retained) / perJob) : 0
    throw MemoryLimitExceeded(
      estimate: needed, limit: limit, jobs: jobs, perJob: perJob, breakdown: estimate.breakdown,
      jobsThatFit: max(0, fit))
  }
}

extension MemoryEstimate {
  /// Bytes per report window a job keeps (`MetricTotals`), and per window of the rendered series (about 20 metrics of
  /// about 40 bytes of CSV each, held as text and as bytes).
  static let windowBytes = MemoryLayout<MetricTotals>.stride, seriesBytesPerWindow = 20 * 40 * 2
  /// Bytes per decision-log row held until written (the job's text, the joined CSV and its bytes).
  static let decisionLogRowBytes = 3 * 120

  static func of(
    environment: PreparedPlugin<any Environment>?, variants: [ExperimentSpec.Variant], replications: Int, horizon: Int,
    batch: Int, reportEvery: Int, logDecisions: Bool, training: TrainingSettings?, marks: [String: SourceMark]
  ) -> MemoryEstimate {
    // Offline training logs its examples 4096 at a time.
    let view = SpecView(
      horizon: horizon, batchSize: training == nil ? batch : 4096, environment: environment?.capabilities)
    func lines<P>(_ plugin: PreparedPlugin<P>?) -> [Line] {
      guard let plugin else { return [] }
      return plugin.memory(view).map { need in
        let path = need.key.map { joinPath(plugin.marks.path, $0) } ?? plugin.marks.path
        return Line(
          what: "\(path): \(need.what)", bytes: need.bytes, path: path,
          mark: need.key.flatMap { plugin.marks.keys[$0] } ?? plugin.marks.plugin, bytesPerUnit: need.bytesPerUnit)
      }
    }
    let variantLines = variants.map { lines($0.model) + lines($0.policy) }
    let largestVariant = variantLines.max { MemoryNeed.sum($0.map(\.bytes)) < MemoryNeed.sum($1.map(\.bytes)) } ?? []
    let perJob = lines(environment) + largestVariant
    var retained: [Line] = []
    let jobCount: Int
    if let training {
      jobCount = variants.count
      let slots = max(1, environment?.capabilities.slots ?? 1)
      retained.append(
        Line(
          what: "training.examples: \(training.examples) logged examples",
          bytes: MemoryNeed.product(training.examples, slots, 512),
          path: "training.examples", mark: marks["training.examples"], bytesPerUnit: slots * 512))
    } else {
      jobCount = MemoryNeed.product(variants.count, replications)
      let windows = (horizon + max(1, reportEvery) - 1) / max(1, reportEvery)
      let series = MemoryNeed.product(jobCount, windows)
      retained.append(
        Line(
          what:
            "replications: \(variants.count) variants × \(replications) replications × \(windows) windows of results",
          bytes: MemoryNeed.product(series, windowBytes + seriesBytesPerWindow), path: "replications",
          mark: marks["replications"],
          bytesPerUnit: MemoryNeed.product(variants.count, windows, windowBytes + seriesBytesPerWindow)))
      if logDecisions {
        let slots = max(1, environment?.capabilities.slots ?? 1)
        retained.append(
          Line(
            what: "log: decisions, \(jobCount) jobs × \(horizon) decisions × \(slots) slots",
            bytes: MemoryNeed.product(jobCount, horizon, slots, decisionLogRowBytes), path: "horizon",
            mark: marks["horizon"],
            bytesPerUnit: MemoryNeed.product(jobCount, slots, decisionLogRowBytes)))
      }
    }
    return MemoryEstimate(perJob: perJob, retained: retained, jobCount: jobCount)
  }

  /// Records a spec error when the spec cannot fit in `limit` even with one job at a time, at the key of the largest
  /// need.
  func report(limit: MemoryLimit, sink: DiagnosticSink, rootMark: SourceMark) {
    let needed = total(jobs: 1)
    guard needed > limit.bytes, let line = largest else { return }
    sink.error(
      "this experiment needs about \(ByteCount.describe(needed)) of memory even with one job at a time (\(breakdown)), "
        + "more than the limit \(limit)",
      at: line.mark ?? rootMark, path: line.path, suggestion: suggestion(limit: limit.bytes, jobs: 1))
  }
}
