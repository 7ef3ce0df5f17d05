import Foundation

/// How a bundle's files on disk disagree with its own manifest: the check `adlab verify` makes before it
/// re-runs anything, and the one behind the warnings of `adlab diff` and `adlab report`.
public struct IntegrityReport: Sendable, Equatable {
  public var bundle: String
  /// Files whose sha256 differs from the one the manifest records.
  public var changed: [String] = []
  /// Files the manifest lists that are not on disk.
  public var missing: [String] = []
  /// Files on disk (other than manifest.json) that the manifest does not list.
  public var extra: [String] = []
  /// The manifest's recorded digest and the digest its own file list gives, when they differ.
  public var digestMismatch: (recorded: String, computed: String)?
  /// Manifest fields that contradict the files (experiment id, seed, replications against resolved.json).
  public var manifestConflicts: [String] = []

  public var isIntact: Bool {
    changed.isEmpty && missing.isEmpty && extra.isEmpty && digestMismatch == nil && manifestConflicts.isEmpty
  }

  /// One line per problem, for people.
  public var problems: [String] {
    var lines: [String] = []
    if !changed.isEmpty {
      lines.append("changed (sha256 differs from the manifest): \(changed.joined(separator: ", "))")
    }
    if !missing.isEmpty {
      lines.append("missing (listed in the manifest, not on disk): \(missing.joined(separator: ", "))")
    }
    if !extra.isEmpty { lines.append("extra (on disk, not in the manifest): \(extra.joined(separator: ", "))") }
    if let digestMismatch {
      lines.append(
        "digest: the manifest records \(digestMismatch.recorded), its file list gives \(digestMismatch.computed)")
    }
    lines += manifestConflicts.map { "manifest: \($0)" }
    return lines
  }

  public static func == (lhs: IntegrityReport, rhs: IntegrityReport) -> Bool {
    lhs.bundle == rhs.bundle && lhs.changed == rhs.changed && lhs.missing == rhs.missing && lhs.extra == rhs.extra
      && lhs.digestMismatch?.recorded == rhs.digestMismatch?.recorded
      && lhs.digestMismatch?.computed == rhs.digestMismatch?.computed && lhs.manifestConflicts == rhs.manifestConflicts
  }
}

/// Checks a bundle against its own manifest without re-running it: every file's sha256, no file missing or
/// added, the digest recomputed from the listed hashes, and the manifest's copies of resolved.json facts.
/// Run, training and off-policy bundles (and each cell of a sweep) follow the same rules.
public enum BundleIntegrity {
  /// - Throws: ``BundleError/notABundle(path:reason:)`` when the manifest cannot be read.
  public static func check(bundle: String) throws(BundleError) -> IntegrityReport {
    let manifest = try Manifest.read(bundle: bundle)
    var report = IntegrityReport(bundle: bundle)
    let onDisk = filesOnDisk(bundle)
    for name in manifest.files.keys.sorted() {
      guard onDisk.contains(name) else {
        report.missing.append(name)
        continue
      }
      let hash = FileManager.default.contents(atPath: "\(bundle)/\(name)").map(BundleContents.sha256)
      if hash != manifest.files[name] { report.changed.append(name) }
    }
    report.extra = onDisk.filter { manifest.files[$0] == nil }.sorted()
    let computed = BundleContents.digest(of: manifest.files, kernelsName: manifest.kernels)
    if computed != manifest.digest { report.digestMismatch = (manifest.digest, computed) }
    report.manifestConflicts = conflicts(manifest, bundle: bundle)
    return report
  }

  /// Every regular file under the bundle, as a path relative to it, except manifest.json.
  private static func filesOnDisk(_ bundle: String) -> Set<String> {
    let fm = FileManager.default
    var names: Set<String> = []
    guard let walker = fm.enumerator(atPath: bundle) else { return names }
    while let relative = walker.nextObject() as? String {
      var isFolder: ObjCBool = false
      if relative != "manifest.json", fm.fileExists(atPath: "\(bundle)/\(relative)", isDirectory: &isFolder),
        !isFolder.boolValue
      {
        names.insert(relative)
      }
    }
    return names
  }

  /// The manifest repeats facts of resolved.json (outside the digest); an edit to either shows here.
  private static func conflicts(_ manifest: Manifest, bundle: String) -> [String] {
    guard let resolvedData = FileManager.default.contents(atPath: "\(bundle)/resolved.json") else { return [] }
    let resolvedText = String(decoding: resolvedData, as: UTF8.self)
    var found: [String] = []
    let id = String(BundleContents.sha256(resolvedData).prefix(12))
    if let recorded = manifest.json["experiment_id"]?.plainText, recorded != id {
      found.append("experiment_id is \(recorded), but resolved.json hashes to \(id)")
    }
    guard let resolved = JSONValue.parse(resolvedText, file: "resolved.json") else { return found }
    for key in ["seed", "replications"] {
      let recorded = manifest.json[key]?.plainText, fromSpec = resolved[key]?.plainText
      if let recorded, let fromSpec, recorded != fromSpec {
        found.append("\(key) is \(recorded), but resolved.json says \(fromSpec)")
      }
    }
    return found
  }
}
