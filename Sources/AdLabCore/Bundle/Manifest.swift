import Foundation

/// manifest.json: provenance, the sha256 of every file, the bundle digest, and wall-clock timings
/// (the only part outside the digest that varies between identical runs).
public struct Manifest: Sendable {
  public var digest: String
  /// `adlab-bundle/1` (a run) or `adlab-training-bundle/1`.
  public var format: String
  /// File name → sha256 hex.
  public var files: [String: String]
  /// The whole manifest (as written, or as read back).
  public var json: JSONValue
  /// The kernel class name recorded as `kernels` (`portable` for bundles made before classes existed).
  /// A string, not a `KernelClass`: a bundle may name a class this build does not know.
  public var kernels: String

  init(
    contents: BundleContents, spec: ExperimentSpec, provenance: Provenance, wallSeconds: Double, kind: BundleKind = .run
  ) {
    let hashes = contents.fileHashes
    digest = contents.digest
    format = kind.format
    files = hashes
    kernels = contents.kernels.rawValue
    var plugins: [(String, JSONValue)] = [
      ("environment", .string(spec.environment.name)),
      ("reward", .string(spec.reward.name)),
      ("policies", .array(spec.variants.map { .string($0.policy.name) })),
    ]
    if spec.variants.contains(where: { $0.model != nil }) {
      plugins.append(("models", .array(spec.variants.map { $0.model.map { .string($0.name) } ?? .null })))
    }
    // Off-policy bundles name the data they were computed from (the same list is in sources.json, in the digest).
    var datasets: [(String, JSONValue)] = []
    if let sources = contents.files["sources.json"],
      let parsed = JSONValue.parse(String(decoding: sources, as: UTF8.self), file: "sources.json")
    {
      datasets = [("datasets", parsed)]
    }
    json = .object(
      [
        ("format", .string(kind.format)),
        ("experiment", .string(spec.name)),
        ("experiment_id", .string(BundleContents.experimentID(for: spec))),
        ("digest", .string(digest)),
        ("files", .object(hashes.keys.sorted().map { ($0, .string(hashes[$0] ?? "")) })),
        ("seed", .int(Int(spec.seed))),
        ("replications", .int(spec.replications)),
        ("plugins", .object(plugins)),
      ] + datasets + [
        ("adlab_version", .string(Provenance.adlabVersion)),
        ("source_revision", .string(provenance.sourceRevision)),
        ("swift_version", .string(provenance.swiftVersion)),
        ("os", .string(provenance.operatingSystem)),
        ("cpu", .string(provenance.cpu)),
        // In the digest too, when not portable (see BundleContents.digest).
        ("kernels", .string(contents.kernels.rawValue)),
        ("command_line", .array(provenance.commandLine.map(JSONValue.string))),
        ("jobs", .int(provenance.jobs)),
        (
          "timings",
          .object([
            ("finished_at", .string(ISO8601DateFormatter().string(from: Date()))),
            ("wall_seconds", .number(wallSeconds)),
          ])
        ),
      ])
  }

  private init(digest: String, format: String, files: [String: String], json: JSONValue, kernels: String) {
    self.digest = digest
    self.format = format
    self.files = files
    self.json = json
    self.kernels = kernels
  }

  /// Reads a bundle's manifest (JSON is YAML, so the spec parser reads it).
  public static func read(bundle: String) throws(BundleError) -> Manifest {
    let path = "\(bundle)/manifest.json"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw BundleError.notABundle(path: bundle, reason: "no readable manifest.json")
    }
    guard let root = try? YAMLParser.parse(text, file: path), case .mapping(let mapping) = root,
      case .scalar(let digest)? = mapping["digest"], case .mapping(let fileMap)? = mapping["files"]
    else { throw BundleError.notABundle(path: bundle, reason: "manifest.json lacks a digest or a file list") }
    var files: [String: String] = [:]
    for (key, value) in fileMap.entries {
      if case .scalar(let hash) = value { files[key.text] = hash.text }
    }
    var format = BundleKind.run.format
    if case .scalar(let text)? = mapping["format"] { format = text.text }
    var kernels = "portable"
    if case .scalar(let text)? = mapping["kernels"] { kernels = text.text }
    return Manifest(digest: digest.text, format: format, files: files, json: JSONValue(root), kernels: kernels)
  }
}
