import Foundation

/// What happened when a run's bundle was saved.
public enum BundleOutcome: Sendable, Equatable {
  /// A new bundle at this path.
  case created(String)
  /// A bundle of the same resolved spec already existed with the same digest; it was kept untouched.
  case identical(existing: String)
  /// A bundle of the same resolved spec existed with a different digest (another AdLab version or platform,
  /// or nondeterminism); it was kept, and the new one was saved beside it.
  case differs(existing: String, new: String, changedFiles: [String])
}

/// Errors saving or reading bundles, each naming the path.
public enum BundleError: Error, CustomStringConvertible, Equatable {
  case cannotWrite(path: String, reason: String)
  case notABundle(path: String, reason: String)
  /// The bundle was computed with a kernel class this CPU (or this build) cannot run, so it cannot be re-run here.
  case kernelsUnavailable(path: String, kernels: String, reason: String)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason): return "cannot write the bundle at \(path): \(reason)"
    case .notABundle(let path, let reason): return "\(path) is not a readable result bundle: \(reason)"
    case .kernelsUnavailable(let path, let kernels, let reason):
      return "cannot verify \(path) here: it was computed with kernel class \(kernels), and \(reason)"
    }
  }
}

/// Saves bundles so that readers never see a half-written one and a good one is never overwritten:
/// files go to a hidden temporary folder beside the target, which is renamed into place only when complete.
public struct BundleWriter: Sendable {
  /// Folder that holds one folder per experiment name (`results/` by default).
  public var root: String

  public init(root: String) { self.root = root }

  /// Where a spec's bundle lives: `<root>/<name>/<experiment id>` (`train-<experiment id>` for training).
  public func path(for spec: ExperimentSpec, kind: BundleKind = .run) -> String {
    "\(root)/\(spec.name)/\(kind.folderPrefix)\(BundleContents.experimentID(for: spec))"
  }

  /// Saves a bundle at `path(for: spec, kind: kind)`.
  public func save(
    _ contents: BundleContents, spec: ExperimentSpec, provenance: Provenance, wallSeconds: Double,
    kind: BundleKind = .run
  ) throws -> BundleOutcome {
    try Self.save(
      contents, at: path(for: spec, kind: kind), spec: spec, provenance: provenance, wallSeconds: wallSeconds,
      kind: kind)
  }

  /// Saves a bundle at `target` (temporary folder beside it, then rename); an existing bundle there is kept.
  public static func save(
    _ contents: BundleContents, at target: String, spec: ExperimentSpec, provenance: Provenance, wallSeconds: Double,
    kind: BundleKind = .run
  ) throws -> BundleOutcome {
    let parent = (target as NSString).deletingLastPathComponent
    let fm = FileManager.default
    do {
      try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
    } catch {
      throw BundleError.cannotWrite(path: parent, reason: error.localizedDescription)
    }
    Self.removeAbandonedTemporaries(in: parent)

    let temporary =
      "\(parent)/.tmp-\(BundleContents.experimentID(for: spec))-\(getpid())-\(UInt64(Date().timeIntervalSince1970 * 1e6))"
    do {
      try fm.createDirectory(atPath: temporary, withIntermediateDirectories: false)
      for (name, data) in contents.files {
        let url = URL(fileURLWithPath: "\(temporary)/\(name)")
        if name.contains("/") {
          try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        try data.write(to: url, options: .atomic)
        CrashPoint.bundleFile.reached()
      }
      let manifest = Manifest(
        contents: contents, spec: spec, provenance: provenance, wallSeconds: wallSeconds, kind: kind)
      try Data(manifest.json.rendered().utf8).write(
        to: URL(fileURLWithPath: "\(temporary)/manifest.json"), options: .atomic)
    } catch {
      try? fm.removeItem(atPath: temporary)
      throw BundleError.cannotWrite(path: temporary, reason: error.localizedDescription)
    }

    if rename(temporary, target) == 0 { return .created(target) }
    // The target exists (rename refuses to replace a non-empty folder): keep it, compare, and decide.
    guard let existing = try? Manifest.read(bundle: target) else {
      return try keepBeside(temporary, target: target, existing: target, changed: ["manifest.json"])
    }
    let fresh = contents.fileHashes
    if existing.digest == contents.digest {
      try? fm.removeItem(atPath: temporary)
      return .identical(existing: target)
    }
    let changed = Set(fresh.keys).union(existing.files.keys).filter { fresh[$0] != existing.files[$0] }.sorted()
    return try keepBeside(temporary, target: target, existing: target, changed: changed)
  }

  private static func keepBeside(_ temporary: String, target: String, existing: String, changed: [String]) throws
    -> BundleOutcome
  {
    var n = 2
    while true {
      let candidate = "\(target)-\(n)"
      if rename(temporary, candidate) == 0 {
        return .differs(existing: existing, new: candidate, changedFiles: changed)
      }
      if errno != ENOTEMPTY && errno != EEXIST {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(atPath: temporary)
        throw BundleError.cannotWrite(path: candidate, reason: reason)
      }
      n += 1
    }
  }

  /// Deletes `.tmp-*` folders left by runs that were killed while saving (their process is gone).
  static func removeAbandonedTemporaries(in folder: String) {
    let fm = FileManager.default
    for name in (try? fm.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(".tmp-") {
      if StaleFolders.writerIsGone(name) { try? fm.removeItem(atPath: "\(folder)/\(name)") }
    }
  }
}
