import Foundation

/// Writes MLflow's file-store layout (`mlruns/`): `<experiment id>/meta.yaml`, and per run
/// `<run id>/{meta.yaml, params/, metrics/, tags/, artifacts/}`, so `mlflow ui --backend-store-uri DIR`
/// and `MlflowClient("file://DIR")` read it (recent MLflow needs `MLFLOW_ALLOW_FILE_STORE=true`).
struct MLflowFileStore {
  /// One run to write.
  struct Run {
    var id: String
    var name: String
    var parentID: String?
    var startMillis: Int64
    var params: [(String, String)] = []
    /// Metric key → (value, step) points.
    var metrics: [(String, [(Double, Int)])] = []
    var tags: [(String, String)] = []
    /// Files copied into artifacts/: (source path, name inside artifacts/).
    var artifacts: [(String, String)] = []
  }

  let root: String
  let experimentID: String

  /// Opens (or creates) the experiment `name` under `root`; its id is derived from the name, so exports
  /// of several bundles of one experiment land in one MLflow experiment.
  ///
  /// - Throws: `ExportError` when the folder cannot be written or holds another experiment under that id.
  init(root: String, experimentName name: String, createdMillis: Int64) throws(ExportError) {
    self.root =
      (root as NSString).standardizingPath.hasPrefix("/")
      ? (root as NSString).standardizingPath
      : FileManager.default.currentDirectoryPath + "/" + (root as NSString).standardizingPath
    let hex = BundleContents.sha256(Data("mlflow-experiment:\(name)".utf8)).prefix(12)
    experimentID = String(UInt64(hex, radix: 16) ?? 1)
    let folder = "\(self.root)/\(experimentID)"
    let meta = "\(folder)/meta.yaml"
    if let existing = try? String(contentsOfFile: meta, encoding: .utf8) {
      guard existing.contains("name: \(Self.quote(name))\n") else {
        throw .cannotWrite(path: meta, reason: "it holds another experiment")
      }
      return
    }
    try Self.write(
      [
        ("artifact_location", Self.quote("file://\(folder)")), ("creation_time", String(createdMillis)),
        ("experiment_id", Self.quote(experimentID)), ("last_update_time", String(createdMillis)),
        ("lifecycle_stage", "active"), ("name", Self.quote(name)),
      ], to: meta)
  }

  /// Writes `run`, replacing an earlier export of the same run id.
  func write(_ run: Run) throws(ExportError) {
    let folder = "\(root)/\(experimentID)/\(run.id)"
    let fm = FileManager.default
    try? fm.removeItem(atPath: folder)
    var tags =
      run.tags + [
        ("mlflow.runName", run.name), ("mlflow.source.name", "adlab"), ("mlflow.source.type", "LOCAL"),
        ("mlflow.user", "adlab"),
      ]
    if let parent = run.parentID { tags.append(("mlflow.parentRunId", parent)) }
    try Self.write(
      [
        ("artifact_uri", Self.quote("file://\(folder)/artifacts")), ("deleted_time", "null"),
        ("end_time", String(run.startMillis)), ("entry_point_name", "''"), ("experiment_id", Self.quote(experimentID)),
        ("lifecycle_stage", "active"), ("run_id", run.id), ("run_name", Self.quote(run.name)), ("run_uuid", run.id),
        ("source_name", "''"), ("source_type", "4"), ("source_version", "''"), ("start_time", String(run.startMillis)),
        ("status", "3"), ("tags", "[]"), ("user_id", "adlab"),
      ], to: "\(folder)/meta.yaml")
    for (key, value) in run.params { try Self.write(text: value, to: "\(folder)/params/\(key)") }
    for (key, value) in tags { try Self.write(text: value, to: "\(folder)/tags/\(key)") }
    for (key, points) in run.metrics where !points.isEmpty {
      let lines = points.filter { $0.0.isFinite }.map { "\(run.startMillis) \(JSONValue.format($0.0)) \($0.1)\n" }
        .joined()
      if !lines.isEmpty { try Self.write(text: lines, to: "\(folder)/metrics/\(key)") }
    }
    do {
      // MLflow only recognises a run folder that has all of these, even when empty.
      for sub in ["metrics", "params", "tags", "artifacts"] {
        try fm.createDirectory(atPath: "\(folder)/\(sub)", withIntermediateDirectories: true)
      }
      for (source, name) in run.artifacts { try fm.copyItem(atPath: source, toPath: "\(folder)/artifacts/\(name)") }
    } catch {
      throw .cannotWrite(path: "\(folder)/artifacts", reason: error.localizedDescription)
    }
  }

  /// A run id (32 hex digits) derived from `parts`, stable across exports.
  static func runID(_ parts: String...) -> String {
    String(BundleContents.sha256(Data(parts.joined(separator: "\u{1F}").utf8)).prefix(32))
  }

  static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

  private static func write(_ entries: [(String, String)], to path: String) throws(ExportError) {
    try write(text: entries.map { "\($0.0): \($0.1)\n" }.joined(), to: path)
  }

  private static func write(text: String, to path: String) throws(ExportError) {
    do {
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    } catch {
      throw .cannotWrite(path: path, reason: error.localizedDescription)
    }
  }
}

/// Why an export failed.
public enum ExportError: Error, Equatable, CustomStringConvertible {
  case cannotWrite(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    }
  }
}
