import AdLabCore
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab merge SWEEP…`: assembles the shards of a sweep into one sweep folder.
  struct Merge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Assemble sweep shards: copy every finished cell into one folder and write sweep.csv, sweep.md, report.html.",
      discussion: """
        Give the sweep folder of each shard (or one shared folder that every shard wrote to). The result is the \
        same, byte for byte, as an unsharded run. Exit code 1 when cells are still missing.
        """)

    @Argument(help: "Sweep folders of the same sweep (each has a sweep.json).")
    var sweeps: [String]

    @Option(name: .long, help: "Folder to assemble into (default: the first sweep folder).")
    var into: String?

    func run() async throws {
      guard let first = sweeps.first else { throw ValidationError("give at least one sweep folder") }
      let target = into ?? first
      let results = try SweepFiles.merge(sources: sweeps, into: target)
      let missing = results.missing
      print(
        "\(results.name): \(results.cells.count - missing.count) of \(results.cells.count) cells assembled in \(target)"
      )
      if !missing.isEmpty {
        print("missing: " + missing.map { "\($0.index) (\($0.id))" }.joined(separator: ", "))
        throw ExitCode(1)
      }
    }
  }
}
