import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// Parameters that size allocations are checked against the memory limit before anything is allocated: a spec that
/// cannot fit with even one job is a spec error at the sizing key with the figure; a run whose `--jobs` would not fit
/// is refused with the number of jobs that would.
struct MemoryCheckTests {
  static let limit = MemoryLimit(bytes: 1 << 30, source: "test limit")

  static func spec(users: Int, replications: Int = 2, extra: String = "") -> String {
    """
    name: big
    seed: 1
    replications: \(replications)
    horizon: 1000
    batch: 100
    environment: { plugin: ecommerce, params: { users: \(users), items: 1000, ads: 10 } }
    variants:
      a: { policy: random }
    \(extra)
    """
  }

  func load(_ text: String) throws -> LoadedSpec {
    try MemoryLimit.$current.withValue(Self.limit) {
      try SpecLoader.load(text: text, file: "s.yaml", registry: .builtin)
    }
  }

  func diagnostics(_ text: String) -> [SpecDiagnostic] {
    do {
      _ = try load(text)
    } catch let error as SpecError {
      return error.diagnostics
    } catch {
      Issue.record("unexpected error \(error)")
    }
    return []
  }

  @Test func tooManyUsersIsASpecErrorWithTheFigureAndJustFewerFit() throws {
    let text = Self.spec(users: 5_000_000)
    let found = diagnostics(text)
    let d = try #require(found.first)
    #expect(found.count == 1)
    #expect(d.keyPath == "environment.params.users")
    let line = try #require(
      text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("users:") })
    let row = text.split(separator: "\n", omittingEmptySubsequences: false)[line]
    let column = row.distance(from: row.startIndex, to: try #require(row.range(of: "5000000")).lowerBound) + 1
    #expect(d.mark == SourceMark(line: line + 1, column: column))
    // 40 + 8·top_categories + 4·history + 6·exposure_memory bytes per user with the defaults (10, 10, 32).
    #expect(d.message.contains("environment.params.users: users (5000000 × 352 B)"), "\(d.message)")
    #expect(d.message.contains("more than the limit 1.0 GiB (test limit"), "\(d.message)")
    let suggestion = try #require(d.suggestion)
    let fit = try #require(Int(suggestion.split(separator: " ").dropFirst(2).first ?? ""), "\(suggestion)")
    // Users dominate: the largest count that fits is just under limit / 352 B.
    #expect(fit * 352 <= 1 << 30 && fit * 352 > (1 << 30) - 4 << 20, "\(fit)")
    #expect(throws: Never.self) { try load(Self.spec(users: fit)) }
    #expect(diagnostics(Self.spec(users: fit + 1)).first?.keyPath == "environment.params.users")
  }

  @Test func aRunThatFitsOnlyWithFewerJobsIsRefusedWithTheJobsThatFit() throws {
    // 1,100,000 users × 352 B per job: three at once exceed 1 GiB, two fit.
    let spec = try load(Self.spec(users: 1_100_000, replications: 4)).spec
    #expect(throws: Never.self) { try spec.checkMemory(jobs: 2, limit: Self.limit) }
    do {
      try spec.checkMemory(jobs: 3, limit: Self.limit)
      Issue.record("three jobs were accepted")
    } catch {
      #expect(error.jobsThatFit == 2)
      #expect(
        error.description.contains("with --jobs 3 (")
          && error.description.contains("per job; one job: environment.params.users: users (1100000 × 352 B)"),
        "\(error.description)")
      #expect(error.description.contains("use --jobs 2 or fewer, or raise --max-memory"), "\(error.description)")
    }
  }

  @Test func aDecisionLogOfAHugeHorizonIsCaughtAtTheHorizon() throws {
    let text = """
      name: long
      seed: 1
      replications: 100
      horizon: 10000000
      batch: 1000
      environment: { plugin: bernoulli, params: { arms: 3 } }
      variants:
        a: { policy: ucb1 }
      log: decisions
      """
    let d = try #require(diagnostics(text).first)
    #expect(d.keyPath == "horizon" && d.mark == SourceMark(line: 4, column: 10), "\(d)")
    #expect(d.message.contains("log: decisions, 100 jobs × 10000000 decisions × 1 slots"), "\(d.message)")
    #expect(throws: Never.self) { try load(text.replacingOccurrences(of: "log: decisions", with: "")) }
  }

  @Test func maxMemoryParsesSizesAndRejectsOthers() throws {
    #expect(try MemoryLimit(parsing: "8G").bytes == 8 << 30)
    #expect(try MemoryLimit(parsing: "512MiB").bytes == 512 << 20)
    #expect(try MemoryLimit(parsing: "1.5T").bytes == 3 << 39)
    #expect(try MemoryLimit(parsing: "4096").bytes == 4096)
    #expect(try MemoryLimit(parsing: "64 kb").bytes == 64 << 10)
    for bad in ["lots", "8X", "-1G", "0", ""] {
      #expect(throws: MemoryLimitError.self) { try MemoryLimit(parsing: bad) }
    }
    #expect(MemoryLimit.physicalDefault.bytes > 0)
  }
}
