import AdLabCore
import ArgumentParser
import Foundation

/// The `adlab` command: declare an ad-delivery experiment in YAML, run it, and get a reproducible result bundle.
///
/// A library so that a package can ship its own `adlab`: build a `PluginRegistry` (the built-in plugins plus
/// your own) and call `AdLabCommand.main(registry:)` from your executable's `main`. The registry reaches every
/// verb as an argument (`RegistryCommand.run(registry:)`); nothing reads a global.
public struct AdLabCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "adlab",
    abstract: "Seeded A/B/n experiments for ad-delivery policies, with reproducible result bundles.",
    discussion: "Exit codes: 0 ok, 1 run failed or bundle not identical, 2 bad input.",
    version: Provenance.adlabVersion,
    subcommands: [
      Run.self, Train.self, Validate.self, Sweep.self, Merge.self, Diff.self, Report.self, Export.self, Plugins.self,
      Verify.self, Clean.self, Bench.self, DataGroup.self, Models.self, Embed.self, Generate.self,
    ])

  public init() {}

  /// Parses the process's arguments and runs the verb with `registry`, then exits: 0 ok, 1 run failed or bundle
  /// not identical, 2 bad input (ArgumentParser alone would use 64).
  public static func main(registry: PluginRegistry) async -> Never {
    await main(registry: registry, arguments: nil)
  }

  /// As `main(registry:)`, with explicit arguments (without the program name); nil reads `CommandLine`.
  public static func main(registry: PluginRegistry, arguments: [String]?) async -> Never {
    do {
      var command = try parseAsRoot(arguments)
      if let needsPlugins = command as? any RegistryCommand {
        try await needsPlugins.run(registry: registry)
      } else if var asyncCommand = command as? any AsyncParsableCommand {
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
    } catch let error as MemoryLimitExceeded {
      FileHandle.standardError.write(Data(("error: \(error)\n").utf8))
      Foundation.exit(2)
    } catch let error as RunInterrupted {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      Foundation.exit(130)
    } catch let error as ResumeError {
      FileHandle.standardError.write(Data(("error: \(error)\n").utf8))
      Foundation.exit(2)
    } catch let error as RunError {
      FileHandle.standardError.write(Data(("error: run failed: \(error)\n").utf8))
      Foundation.exit(1)
    } catch {
      // ArgumentParser capitalises "Error:" for errors it does not know; every other message of adlab's says "error:".
      var message = fullMessage(for: error)
      if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst("Error: ".count) }
      if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
      Foundation.exit(exitCode(for: error) == .success ? 0 : 2)
    }
    Foundation.exit(0)
  }
}

/// Output format for commands another program may read.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// Writes a line to standard error.
func printToStandardError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
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

  @OptionGroup var memory: MemoryOption

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
  }

  func runner(progress: Progress) -> ExperimentRunner {
    ExperimentRunner(jobs: jobs) { done, total in progress.update("jobs \(done)/\(total)") }
  }
}
