import AdLabCore
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab report BUNDLE|SWEEP`: (re)renders the HTML report of a bundle or a sweep.
  struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Render the self-contained HTML report (inline SVG) of a bundle or a sweep.",
      discussion:
        "Every bundle and sweep already holds its report.html; this renders it again, e.g. to another path with --to.")

    @Argument(help: "A bundle folder or a sweep folder.")
    var path: String

    @Option(name: .long, help: "Where to write the HTML (default: standard output).")
    var to: String?

    func run() async throws {
      IntegrityWarning.warn(about: path)
      let html = SweepFiles.isSweep(path) ? try SweepReport.render(folder: path) : try BundleReport.render(bundle: path)
      if let to {
        do {
          try Data(html.utf8).write(to: URL(fileURLWithPath: to), options: .atomic)
        } catch {
          throw ValidationError("cannot write \(to): \(error.localizedDescription)")
        }
        print("report written to \(to)")
      } else {
        print(html, terminator: "")
      }
    }
  }
}
