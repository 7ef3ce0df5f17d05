import AdLabBuiltins
import AdLabCore
import ArgumentParser
import Foundation

/// The `adlab` command: declare an ad-delivery experiment in YAML, run it, and get a reproducible result bundle.
@main
struct AdLab: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "adlab",
    abstract: "Seeded A/B/n experiments for ad-delivery policies, with reproducible result bundles.",
    discussion: "Exit codes: 0 ok, 1 run failed or bundle not identical, 2 bad input.",
    version: Provenance.adlabVersion,
    subcommands: [
      Run.self, Train.self, Validate.self, Sweep.self, Merge.self, Diff.self, Report.self, Export.self, Plugins.self,
      Verify.self, Bench.self, DataGroup.self,
    ])

  /// Parses and runs, mapping every kind of bad input to exit code 2 (ArgumentParser alone would use 64).
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch let error as ExitCode {
      Foundation.exit(error.rawValue)
    } catch let error as CleanExit {
      self.exit(withError: error)
    } catch let error as SpecError {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      Foundation.exit(2)
    } catch let error as YAMLError {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      Foundation.exit(2)
    } catch let error as BundleError {
      FileHandle.standardError.write(Data(("error: \(error)\n").utf8))
      Foundation.exit(2)
    } catch let error as RunError {
      FileHandle.standardError.write(Data(("error: run failed: \(error)\n").utf8))
      Foundation.exit(1)
    } catch {
      let message = fullMessage(for: error)
      if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
      Foundation.exit(exitCode(for: error) == .success ? 0 : 2)
    }
  }
}

/// Output format for commands another program may read.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// Writes to standard error only when it is a terminal, so logs and pipes stay clean.
struct Progress: Sendable {
  let enabled = isatty(STDERR_FILENO) == 1

  func update(_ text: String) {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
  }

  func finish() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
  }
}

/// Options shared by commands that run experiments.
struct RunOptions: ParsableArguments {
  @Option(name: .long, help: "Parallel jobs (default: all cores). Results are bit-identical for any value.")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  @OptionGroup var kernelOptions: KernelOptions

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
  }

  func runner(progress: Progress) -> ExperimentRunner {
    ExperimentRunner(jobs: jobs) { done, total in progress.update("jobs \(done)/\(total)") }
  }
}
