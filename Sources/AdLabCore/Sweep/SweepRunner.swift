import Foundation

/// What happens to each cell as a sweep runs, for the command line to show.
public enum SweepEvent: Sendable {
  /// The cell's bundle was already complete (an earlier, interrupted run or another shard made it).
  case skipped(SweepCell)
  case started(SweepCell)
  case finished(SweepCell, BundleOutcome)
  case failed(SweepCell, String)
}

/// What a sweep run did.
public struct SweepRunReport: Sendable {
  public var folder: String
  /// Cells in this run's shard.
  public var inShard: Int
  public var ran: Int
  public var skipped: Int
  /// Cells that failed, with why.
  public var failed: [(cell: SweepCell, message: String)]
  /// Cells of the shard not attempted because `--fail-fast` stopped the run.
  public var notAttempted: Int
  /// True when sweep.csv, sweep.md and report.html were (re)written (unsharded runs; cells that failed
  /// show as missing in them).
  public var assembled: Bool
}

/// Runs a sweep's cells one after another (each cell's jobs in parallel), one bundle per cell under
/// `<folder>/cells/<cell id>/`, skipping cells whose bundle is already complete.
///
/// Cells are independent and each bundle is written atomically, so a killed sweep leaves only whole
/// cells; the next run skips them and redoes the rest. Shards of one sweep can write into one shared
/// folder or into separate ones (assembled by `SweepAssembler.merge`).
public struct SweepRunner: Sendable {
  public var runner: ExperimentRunner
  public var provenance: Provenance
  /// Stop at the first failed cell instead of running the others.
  public var failFast: Bool

  public init(runner: ExperimentRunner, provenance: Provenance, failFast: Bool = false) {
    self.runner = runner
    self.provenance = provenance
    self.failFast = failFast
  }

  /// Where a sweep's folder is: `<root>/<name>/sweep-<plan id>`.
  public static func folder(root: String, plan: SweepPlan) -> String { "\(root)/\(plan.name)/sweep-\(plan.id)" }

  /// Runs the cells of `shard`; with the whole sweep, also writes the tables and the report.
  ///
  /// - Throws: `BundleError` when the folder cannot be written; a cell's failure is reported, not thrown.
  public func run(
    _ plan: SweepPlan, folder: String, shard: Shard = .all, events: @Sendable (SweepEvent) -> Void = { _ in }
  ) async throws -> SweepRunReport {
    try SweepFiles.writePlan(plan, folder: folder)
    let mine = plan.cells.filter { shard.contains($0.index) }
    var report = SweepRunReport(
      folder: folder, inShard: mine.count, ran: 0, skipped: 0, failed: [], notAttempted: 0, assembled: false)
    // Cells of a logged spec are evaluated off-policy and share the logs they replay: read once per sweep run.
    let logs = LoggedSegmentMemo()
    for (position, cell) in mine.enumerated() {
      let target = SweepFiles.cellFolder(folder, cell.id)
      if SweepFiles.isComplete(target) {
        report.skipped += 1
        events(.skipped(cell))
        continue
      }
      events(.started(cell))
      let started = Date()
      do {
        let spec = cell.loaded.spec
        let outcome: BundleOutcome
        if OffPolicyRunner.isLogged(spec) {
          let result = try await OffPolicyRunner(jobs: runner.jobs, memo: logs).run(spec)
          outcome = try BundleWriter.save(
            BundleContents(evaluation: result, specText: cell.loaded.sourceText), at: target, spec: spec,
            provenance: provenance,
            wallSeconds: Date().timeIntervalSince(started), kind: .evaluation)
        } else {
          // A cell resumes from the jobs a killed run finished, like `adlab run`.
          let resume = try ResumeStore(bundle: target, spec: spec, kind: .run)
          let result = try await runner.run(spec, resume: resume)
          let contents = BundleContents(
            result: result, summary: ExperimentSummary(result), specText: cell.loaded.sourceText)
          outcome = try BundleWriter.save(
            contents, at: target, spec: spec, provenance: provenance, wallSeconds: Date().timeIntervalSince(started))
          resume.finish()
        }
        report.ran += 1
        events(.finished(cell, outcome))
      } catch let interrupted as RunInterrupted {
        throw interrupted
      } catch {
        report.failed.append((cell, "\(error)"))
        events(.failed(cell, "\(error)"))
        if failFast {
          report.notAttempted = mine.count - position - 1
          break
        }
      }
    }
    if shard == .all {
      _ = try SweepFiles.assemble(folder: folder)
      report.assembled = true
    }
    return report
  }
}
