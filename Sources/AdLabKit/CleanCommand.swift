import AdLabCore
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab clean [OUT]`: removes what killed runs left behind.
  struct Clean: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Remove the hidden folders killed runs left under an output folder.",
      discussion: """
        A run keeps its finished jobs (or training epochs) in OUT/<name>/.resume-<id> until its bundle is written, \
        so running the same spec again resumes it; a run killed while writing a bundle leaves OUT/<name>/.tmp-*. \
        Folders held by a running adlab are never touched. Bundles are never touched.
        """)

    @Argument(help: "The output folder runs wrote to.")
    var out: String = "results"

    @Flag(name: .long, help: "List what would be removed, remove nothing.")
    var dryRun = false

    func run() async throws {
      let stale = StaleFolders.find(under: out)
      guard !stale.isEmpty else {
        print("nothing to clean under \(out)")
        return
      }
      for entry in stale {
        let what = entry.resumable ? "finished jobs of a killed run" : "half-written bundle"
        if !dryRun {
          do {
            try StaleFolders.remove(entry)
          } catch {
            throw ValidationError("cannot remove \(entry.path): \(error.localizedDescription)")
          }
        }
        print("\(dryRun ? "would remove" : "removed") \(entry.path) (\(what), \(ByteCount.describe(entry.bytes)))")
      }
      let total = stale.reduce(0) { $0 + $1.bytes }
      print(
        "\(stale.count) folder\(stale.count == 1 ? "" : "s"), \(ByteCount.describe(total))\(dryRun ? " (dry run; nothing removed)" : " freed")"
      )
    }
  }
}
