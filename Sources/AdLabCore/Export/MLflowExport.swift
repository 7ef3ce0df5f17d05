import Foundation

/// `adlab export mlflow`: a bundle becomes a parent run (summary metrics, the bundle's files as artifacts)
/// with one child run per variant × replication (its parameters and per-window metrics with steps);
/// a sweep becomes a parent run (sweep files) with one child run per finished cell (swept values as
/// params, every variant's summary metrics, mean per-window metrics with steps, the cell's bundle files).
public enum MLflowExport {
  /// What was written.
  public struct Outcome: Sendable {
    public var experimentID: String
    public var parentRunID: String
    public var runs: Int
  }

  /// Exports the bundle or sweep folder at `path` into the MLflow file store at `root`.
  ///
  /// - Throws: `BundleError` for an unreadable bundle or sweep, `ExportError` when `root` cannot be written.
  public static func export(_ path: String, to root: String) throws -> Outcome {
    SweepFiles.isSweep(path) ? try exportSweep(path, to: root) : try exportBundle(path, to: root)
  }

  /// The bundle's finish time from its manifest, in milliseconds (0 when unknown): MLflow's run times.
  static func finishedMillis(_ bundle: String) -> Int64 {
    guard let text = (try? Manifest.read(bundle: bundle))?.json["timings"]?["finished_at"]?.string,
      let date = ISO8601DateFormatter().date(from: text)
    else { return 0 }
    return Int64((date.timeIntervalSince1970 * 1000).rounded())
  }

  static func bundleFiles(_ bundle: String) -> [(String, String)] {
    ((try? FileManager.default.contentsOfDirectory(atPath: bundle)) ?? []).sorted().filter { !$0.hasPrefix(".") }.map {
      ("\(bundle)/\($0)", $0)
    }
  }

  /// The resolved spec as MLflow params: every leaf by its dotted path (variants' own keys left out).
  static func specParams(_ resolved: JSONValue, variant: String?) -> [(String, String)] {
    resolved.flattened.compactMap { path, value in
      if path.hasPrefix("variants.") {
        guard let variant, path.hasPrefix("variants.\(variant).") else { return nil }
        return (String(path.dropFirst("variants.\(variant).".count)), value.plainText)
      }
      return (path, value.plainText)
    }
  }

  static func exportBundle(_ bundle: String, to root: String) throws -> Outcome {
    let summary = try StoredSummary(bundle: bundle)
    let resolved = try JSONValue.read(path: "\(bundle)/resolved.json", what: bundle)
    let manifest = try Manifest.read(bundle: bundle)
    guard let csv = try? String(contentsOfFile: "\(bundle)/series.csv", encoding: .utf8) else {
      throw BundleError.notABundle(path: bundle, reason: "series.csv is missing or unreadable")
    }
    let time = finishedMillis(bundle)
    let store = try MLflowFileStore(root: root, experimentName: summary.experiment, createdMillis: time)
    let parentID = MLflowFileStore.runID("bundle", manifest.digest)
    var parent = MLflowFileStore.Run(
      id: parentID, name: "\(summary.experiment) \(manifest.digest.prefix(8))", startMillis: time)
    parent.params = specParams(resolved, variant: nil)
    parent.metrics = summary.variants.flatMap { v in
      v.metrics.map { ("\(v.name).\($0.name)", [($0.statistic.mean, 0)]) }
    }
    parent.tags = commonTags(manifest, bundle: bundle)
    parent.artifacts = bundleFiles(bundle)
    try store.write(parent)
    let series = SeriesTable(csv: csv)
    var runs = 1
    for variant in summary.variants {
      for replication in series.replications(variant.name) {
        var run = MLflowFileStore.Run(
          id: MLflowFileStore.runID("replication", manifest.digest, variant.name, String(replication)),
          name: "\(variant.name) r\(replication)", parentID: parentID, startMillis: time)
        run.params =
          specParams(resolved, variant: variant.name) + [
            ("variant", variant.name), ("replication", String(replication)),
          ]
        run.metrics = series.metrics.map { metric in
          (metric, steppedPoints(series.series(variant.name, metric, replication), steps: series.steps))
        }
        run.tags = commonTags(manifest, bundle: bundle) + [("adlab.variant", variant.name)]
        try store.write(run)
        runs += 1
      }
    }
    return Outcome(experimentID: store.experimentID, parentRunID: parentID, runs: runs)
  }

  static func exportSweep(_ folder: String, to root: String) throws -> Outcome {
    let results = try SweepResults(folder: folder)
    let planText = (try? String(contentsOfFile: "\(folder)/sweep.json", encoding: .utf8)) ?? ""
    let finished = results.cells.filter { $0.summary != nil }
    let times = finished.map { finishedMillis(SweepFiles.cellFolder(folder, $0.id)) }
    let time = times.max() ?? 0
    let store = try MLflowFileStore(root: root, experimentName: results.name, createdMillis: times.min() ?? 0)
    let sweepID = String(BundleContents.sha256(Data(planText.utf8)).prefix(12))
    let parentID = MLflowFileStore.runID("sweep", sweepID)
    var parent = MLflowFileStore.Run(id: parentID, name: "\(results.name) sweep \(sweepID)", startMillis: time)
    parent.params = [
      ("sweep.kind", results.kind), ("sweep.parameters", results.parameters.joined(separator: ", ")),
      ("sweep.cells", String(results.cells.count)),
    ]
    parent.tags = [("adlab.sweep", folder), ("adlab.sweep_id", sweepID)]
    parent.artifacts = ["sweep.json", "sweep.csv", "sweep.md", "report.html"].filter {
      FileManager.default.fileExists(atPath: "\(folder)/\($0)")
    }.map { ("\(folder)/\($0)", $0) }
    try store.write(parent)
    for (cell, cellTime) in zip(finished, times) {
      guard let summary = cell.summary else { continue }
      let bundle = SweepFiles.cellFolder(folder, cell.id)
      let manifest = try Manifest.read(bundle: bundle)
      var run = MLflowFileStore.Run(
        id: MLflowFileStore.runID("cell", sweepID, cell.id), name: "cell \(cell.index): \(cell.label)",
        parentID: parentID, startMillis: cellTime)
      run.params = cell.parameters.map { ($0.key, $0.value.plainText) } + [("cell", String(cell.index))]
      run.metrics = summary.variants.flatMap { v in v.metrics.map { ("\(v.name).\($0.name)", [($0.statistic.mean, 0)]) }
      }
      if let csv = try? String(contentsOfFile: "\(bundle)/series.csv", encoding: .utf8) {
        let series = SeriesTable(csv: csv)
        for variant in series.variants {
          for metric in series.metrics where series.has(metric) {
            run.metrics.append(
              (
                "\(variant)/\(metric)",
                steppedPoints(series.band(variant, metric, confidence: 0.95).mean, steps: series.steps)
              ))
          }
        }
      }
      run.tags = commonTags(manifest, bundle: bundle) + [("adlab.cell_id", cell.id)]
      run.artifacts = bundleFiles(bundle)
      try store.write(run)
    }
    return Outcome(experimentID: store.experimentID, parentRunID: parentID, runs: finished.count + 1)
  }

  /// Values paired with their steps; MLflow files skip the non-finite ones.
  static func steppedPoints(_ values: [Double], steps: [Int]) -> [(Double, Int)] {
    Array(zip(values, steps))
  }

  static func commonTags(_ manifest: Manifest, bundle: String) -> [(String, String)] {
    var tags = [("adlab.bundle", bundle), ("adlab.digest", manifest.digest)]
    for field in ["experiment_id", "adlab_version", "source_revision"] {
      if let value = manifest.json[field]?.plainText { tags.append(("adlab.\(field)", value)) }
    }
    return tags
  }
}
