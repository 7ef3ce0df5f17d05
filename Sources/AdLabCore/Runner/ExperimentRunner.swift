import AdLabTensor
import Foundation

/// Everything a run produced, before statistics: one `JobResult` per variant and replication.
public struct ExperimentResult: Sendable {
  public let spec: ExperimentSpec
  /// Metrics that apply to this environment, in report order.
  public let metrics: [Metric]
  public let hasOracle: Bool
  /// `jobs[variant][replication]`.
  public let jobs: [[JobResult]]
}

/// A job that failed, named so the user knows which variant and replication to look at.
public struct RunError: Error, CustomStringConvertible {
  public var variant: String
  public var replication: Int
  public var underlying: any Error
  public var description: String { "variant '\(variant)', replication \(replication): \(underlying)" }
}

/// Runs every (variant, replication) job of a spec on up to `jobs` threads. Results are stored by job
/// index and reduced in index order, so the outcome is bit-identical for any `jobs`.
public struct ExperimentRunner: Sendable {
  public var jobs: Int
  /// Called after each finished job with (done, total); for progress display only.
  public var progress: (@Sendable (Int, Int) -> Void)?

  /// When set and requested (Ctrl-C), no new job starts and running jobs stop at their next batch.
  public var stop: StopRequest?
  /// Called with a line for people (jobs resumed, damaged records), for stderr.
  public var notice: (@Sendable (String) -> Void)?

  public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, progress: (@Sendable (Int, Int) -> Void)? = nil)
  {
    self.jobs = max(1, jobs)
    self.progress = progress
  }

  /// Runs every job of `spec`. With a `resume` store, jobs it kept from an earlier run are not run again and each
  /// newly finished job is kept in it; results are the same bits either way (a job depends only on its index).
  ///
  /// - Throws: `RunError` for a failed job, `RunInterrupted` when `stop` was requested before every job finished.
  public func run(_ spec: ExperimentSpec, resume: ResumeStore? = nil) async throws -> ExperimentResult {
    // The environment's declared capabilities tell which metrics apply; nothing is built to find out.
    let declared = spec.environment.capabilities
    if declared.contains(.replaysLogs) { throw OffPolicyError.loggedCannotBeSimulated }
    let hasOracle = declared.contains(.oracle)
    let metrics = Metric.applicable(
      columns: declared.outcomeColumns, hasOracle: hasOracle, hasModel: spec.variants.contains { $0.model != nil },
      hasMarket: declared.contains(.marketCounters), hasNewItems: declared.contains(.newItems))

    let replications = spec.replications
    let total = spec.variants.count * replications
    var results = [JobResult?](repeating: nil, count: total)
    if let resume {
      let kept = resume.loadJobs(count: total)
      for (index, result) in kept.results { results[index] = result }
      for line in kept.damaged { notice?("note: \(line); that job runs again") }
      if !kept.results.isEmpty {
        notice?("resuming: \(kept.results.count) of \(total) jobs already finished (kept in \(resume.folder))")
      }
    }
    let pending = results.indices.filter { results[$0] == nil }
    let progress = self.progress, stop = self.stop
    try await withThrowingTaskGroup(of: (Int, JobResult?).self) { group in
      var next = 0
      func submit() {
        let index = pending[next]
        next += 1
        group.addTask {
          let variant = index / replications, replication = index % replications
          do {
            // Jobs already fill the cores; kernels inside a job (interest models) run on one thread, so the two
            // levels of parallelism never stack. Results do not depend on it either way.
            let result = try TensorParallelism.$threads.withValue(1) {
              try JobRunner(spec: spec, variantIndex: variant, replication: replication, stop: stop).run()
            }
            guard let result else { return (index, nil) }
            try resume?.storeJob(result, index: index)
            return (index, result)
          } catch let error as ResumeError {
            throw error
          } catch {
            throw RunError(variant: spec.variants[variant].name, replication: replication, underlying: error)
          }
        }
      }
      while next < min(jobs, pending.count) { submit() }
      var done = total - pending.count
      if done > 0 { progress?(done, total) }
      while let (index, result) = try await group.next() {
        guard let result else { continue }
        results[index] = result
        done += 1
        progress?(done, total)
        if next < pending.count && stop?.isRequested != true { submit() }
      }
    }
    let flat = results.compactMap { $0 }
    if flat.count < total, stop?.isRequested == true {
      throw RunInterrupted(kept: flat.count, total: total, folder: resume?.folder, unit: "jobs")
    }
    precondition(flat.count == total, "every job reports exactly once")
    let byVariant = (0..<spec.variants.count).map { v in Array(flat[(v * replications)..<((v + 1) * replications)]) }
    return ExperimentResult(spec: spec, metrics: metrics, hasOracle: hasOracle, jobs: byVariant)
  }
}
