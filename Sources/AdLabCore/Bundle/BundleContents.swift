import AdLabTensor
import Crypto
import Foundation

/// What produced a bundle: a run (`adlab run`) or an offline training (`adlab train`). Both follow the same
/// rules (temporary folder renamed into place, never overwritten, digest over every file but the manifest).
public enum BundleKind: String, Sendable {
  case run, training
  /// An off-policy evaluation of logged data (`adlab run` with a `logged` environment).
  case evaluation

  /// The manifest's `format`.
  public var format: String {
    switch self {
    case .run: return "adlab-bundle/1"
    case .training: return "adlab-training-bundle/1"
    case .evaluation: return "adlab-ope-bundle/1"
    }
  }
  /// Prefix of the bundle's folder name, so a spec's run and training bundles live side by side.
  var folderPrefix: String { self == .training ? "train-" : "" }
}

/// The files of a result bundle that the digest covers, in memory: everything but manifest.json.
public struct BundleContents: Sendable {
  /// File name → bytes, for spec.yaml, resolved.json, summary.json, summary.md, series.csv, report.html.
  public var files: [String: Data]

  /// A bundle of the given files (file name → bytes).
  public init(files: [String: Data]) { self.files = files }

  /// Renders every file of a finished run.
  public init(result: ExperimentResult, summary: ExperimentSummary, specText: String) {
    let spec = result.spec
    let resolved = spec.resolvedJSON, summaryJSON = SummaryJSON.render(summary, spec: spec),
      series = SeriesCSV.render(result)
    // The report is rendered from the files as written (read back), exactly as `adlab report` renders it.
    let summaryText = summaryJSON.rendered(), resolvedText = resolved.rendered()
    let report =
      (try? BundleReport.render(
        summary: JSONValue.parse(summaryText, file: "summary.json") ?? .null, series: series,
        resolved: JSONValue.parse(resolvedText, file: "resolved.json") ?? .null, bundle: spec.name)) ?? ""
    files = [
      "spec.yaml": Data(specText.utf8),
      "resolved.json": Data(resolvedText.utf8),
      "summary.json": Data(summaryText.utf8),
      "summary.md": Data(SummaryMarkdown.render(summary, result: result).utf8),
      "series.csv": Data(series.utf8),
      "report.html": Data(report.utf8),
    ]
    if let log = DecisionLog.csv(result.jobs) { files["decisions.csv"] = Data(log.utf8) }
  }

  /// Renders every file of an offline training run (`adlab train`).
  public init(training result: TrainingResult, specText: String) {
    files = TrainingReport.files(result)
    files["spec.yaml"] = Data(specText.utf8)
    files["resolved.json"] = Data(result.spec.resolvedJSON.rendered().utf8)
  }

  /// sha256 of each file, hex.
  public var fileHashes: [String: String] { files.mapValues(Self.sha256) }

  /// The kernel class the numbers were computed with (the one in force when the contents were rendered).
  public var kernels: KernelClass = KernelClass.current

  /// The bundle digest: sha256 over "<sha256>  <name>\n" of every content file, in name order
  /// (the same lines `sha256sum` prints, so it can be checked by hand), then, for a kernel class other than
  /// `portable`, one more line "kernels <class>\n": the bits depend on the class, so it is part of the digest,
  /// while portable digests stay what they were before classes existed.
  public var digest: String { Self.digest(of: fileHashes, kernels: kernels) }

  static func digest(of hashes: [String: String], kernels: KernelClass = .portable) -> String {
    digest(of: hashes, kernelsName: kernels.rawValue)
  }

  /// The digest rule with the class as a manifest names it (a bundle may name a class this build does not know).
  public static func digest(of hashes: [String: String], kernelsName: String) -> String {
    var lines = hashes.keys.sorted().map { "\(hashes[$0] ?? "")  \($0)\n" }.joined()
    if kernelsName != KernelClass.portable.rawValue { lines += "kernels \(kernelsName)\n" }
    return sha256(Data(lines.utf8))
  }

  /// The experiment's identity: the first 12 hex digits of sha256(resolved.json).
  public static func experimentID(for spec: ExperimentSpec) -> String {
    String(sha256(Data(spec.resolvedJSON.rendered().utf8)).prefix(12))
  }

  static func sha256(_ data: Data) -> String {
    SHA256.hash(data: data).map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }
}
