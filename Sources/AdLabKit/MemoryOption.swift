import AdLabCore
import ArgumentParser

/// `--max-memory`: the most memory a run may plan to use. Specs and runs whose estimate (see `MemoryEstimate`)
/// exceeds it are refused before anything is allocated.
struct MemoryOption: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Most memory a run may plan to use, e.g. 8G or 512M (default: 80% of physical memory).", valueName: "size"))
  var maxMemory: String?

  func validate() throws {
    _ = try limit()
  }

  func limit() throws -> MemoryLimit {
    guard let maxMemory else { return MemoryLimit.physicalDefault }
    do {
      return try MemoryLimit(parsing: maxMemory)
    } catch {
      throw ValidationError(error.description)
    }
  }

  /// Runs `body` with the limit in force (spec loading and the run's own check read it).
  func apply<T>(_ body: () async throws -> T) async throws -> T {
    try await MemoryLimit.$current.withValue(limit()) { try await body() }
  }
}
