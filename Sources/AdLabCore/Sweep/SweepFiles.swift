import Foundation

/// The files of a sweep folder: `sweep.json` (the plan), `cells/<id>/` (one bundle per cell), and the
/// assembled `sweep.csv`, `sweep.md` and `report.html`, all derived from the plan and the cells' bundles
/// only, so an unsharded run and merged shards write the same bytes.
public enum SweepFiles {
  static func cellFolder(_ folder: String, _ id: String) -> String { "\(folder)/cells/\(id)" }

  /// A cell is complete when its bundle has a readable manifest (bundles are renamed into place whole).
  static func isComplete(_ bundle: String) -> Bool { (try? Manifest.read(bundle: bundle)) != nil }

  /// Whether `folder` holds a sweep (has a sweep.json).
  public static func isSweep(_ folder: String) -> Bool {
    FileManager.default.fileExists(atPath: "\(folder)/sweep.json")
  }

  /// Writes sweep.json unless the same plan is already there.
  ///
  /// - Throws: `BundleError` when it cannot be written, or the folder holds another sweep's plan.
  static func writePlan(_ plan: SweepPlan, folder: String) throws(BundleError) {
    let text = plan.json.rendered()
    let path = "\(folder)/sweep.json"
    if let existing = try? String(contentsOfFile: path, encoding: .utf8) {
      guard existing == text else {
        throw .cannotWrite(path: folder, reason: "it holds another sweep's sweep.json; use a new folder")
      }
      return
    }
    try write(text, to: path)
  }

  /// Writes `text` to `path` through a temporary file and a rename, creating the folder if needed.
  static func write(_ text: String, to path: String) throws(BundleError) {
    let folder = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw .cannotWrite(path: path, reason: error.localizedDescription)
    }
  }

  /// Reads the sweep and (re)writes sweep.csv, sweep.md and report.html.
  ///
  /// - Throws: `BundleError` when the folder is not a sweep or cannot be written.
  @discardableResult
  public static func assemble(folder: String) throws(BundleError) -> SweepResults {
    let results = try SweepResults(folder: folder)
    try write(SweepCSV.render(results), to: "\(folder)/sweep.csv")
    try write(SweepMarkdown.render(results), to: "\(folder)/sweep.md")
    try write(SweepReport.render(results), to: "\(folder)/report.html")
    return results
  }

  /// Assembles shards: copies every complete cell bundle of `sources` (sweep folders of the same plan,
  /// e.g. one per shard) into `target`, then writes the tables and report there.
  ///
  /// - Returns: The assembled results (`missing` lists cells no shard finished).
  /// - Throws: `BundleError` when a source is not a sweep, the plans differ, or a copy fails.
  public static func merge(sources: [String], into target: String) throws(BundleError) -> SweepResults {
    guard let first = sources.first else { throw .notABundle(path: target, reason: "no sweep folders to merge") }
    let planText: String
    do {
      planText = try String(contentsOfFile: "\(first)/sweep.json", encoding: .utf8)
    } catch {
      throw .notABundle(path: first, reason: "no sweep.json: not a sweep folder")
    }
    for source in sources.dropFirst() {
      guard let other = try? String(contentsOfFile: "\(source)/sweep.json", encoding: .utf8) else {
        throw .notABundle(path: source, reason: "no sweep.json: not a sweep folder")
      }
      guard other == planText else {
        throw .notABundle(
          path: source, reason: "its sweep.json differs from \(first)'s: the shards come from different specs")
      }
    }
    if !FileManager.default.fileExists(atPath: "\(target)/sweep.json") {
      try write(planText, to: "\(target)/sweep.json")
    }
    guard (try? String(contentsOfFile: "\(target)/sweep.json", encoding: .utf8)) == planText else {
      throw .cannotWrite(path: target, reason: "it holds another sweep's sweep.json")
    }
    let fm = FileManager.default
    for source in sources where (source as NSString).standardizingPath != (target as NSString).standardizingPath {
      for id in (try? fm.contentsOfDirectory(atPath: "\(source)/cells")) ?? [] where !id.hasPrefix(".") {
        let from = cellFolder(source, id), to = cellFolder(target, id)
        guard isComplete(from), !isComplete(to) else { continue }
        let temporary = "\(target)/cells/.tmp-merge-\(id)-\(getpid())"
        do {
          try fm.createDirectory(atPath: "\(target)/cells", withIntermediateDirectories: true)
          try? fm.removeItem(atPath: temporary)
          try fm.copyItem(atPath: from, toPath: temporary)
          try fm.moveItem(atPath: temporary, toPath: to)
        } catch {
          try? fm.removeItem(atPath: temporary)
          throw .cannotWrite(path: to, reason: error.localizedDescription)
        }
      }
    }
    return try assemble(folder: target)
  }
}
