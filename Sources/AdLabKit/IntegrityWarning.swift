import AdLabCore
import Foundation

/// Warnings on stderr for `adlab diff` and `adlab report` when a bundle (or a sweep's cell) no longer matches its
/// own manifest: they still read it, but say that its numbers are not the ones that were written.
enum IntegrityWarning {
  /// Checks `path`: a bundle, or every finished cell of a sweep folder.
  static func warn(about path: String) {
    let bundles: [String]
    if SweepFiles.isSweep(path) {
      let cells = "\(path)/cells"
      let names = (try? FileManager.default.contentsOfDirectory(atPath: cells)) ?? []
      bundles = names.filter { !$0.hasPrefix(".") }.sorted().map { "\(cells)/\($0)" }
        .filter { FileManager.default.fileExists(atPath: "\($0)/manifest.json") }
    } else {
      bundles = [path]
    }
    for bundle in bundles {
      // An unreadable manifest is the command's own error to report.
      guard let report = try? BundleIntegrity.check(bundle: bundle), !report.isIntact else { continue }
      var text = "warning: \(bundle) does not match its own manifest (edited or corrupted since it was written):\n"
      text += report.problems.map { "  \($0)\n" }.joined()
      FileHandle.standardError.write(Data(text.utf8))
    }
  }
}
