import AdLabCore
import ArgumentParser
import Foundation

extension DiffFormat: ExpressibleByArgument {}

extension AdLabCommand {
  /// `adlab diff A B`: what changed between two bundles or two sweeps.
  struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Compare two bundles (or two sweeps): digests, spec and provenance changes, metric changes with CIs and p-values.",
      discussion: """
        A is "before", B is "after": changes are B − A. Only changed metrics are listed unless --all. \
        When A and B are paired by construction (same seed, environment, horizon, batch and replications, both in \
        paired mode), metrics are compared replication by replication with the paired t-test; otherwise with \
        Welch's test. Each row names its test. \
        --fail-on METRIC:DIRECTION (e.g. ctr:decrease, ucb.regret:increase) exits 1 when that metric changes \
        significantly in that direction, to gate a CI pipeline.
        """)

    @Argument(help: "The bundle or sweep folder before.")
    var a: String

    @Argument(help: "The bundle or sweep folder after.")
    var b: String

    @Flag(name: .long, help: "List unchanged metrics too.")
    var all = false

    @Option(name: .long, help: "Output format: text, markdown, json or csv.")
    var format: DiffFormat = .text

    @Option(
      name: .long,
      help: ArgumentHelp(
        "Exit 1 on a significant change of METRIC in DIRECTION (increase or decrease).", valueName: "METRIC:DIRECTION"))
    var failOn: [String] = []

    func run() async throws {
      let rules: [FailOnRule]
      do {
        rules = try failOn.map { text throws(DiffError) in try FailOnRule(parsing: text) }
      } catch {
        throw ValidationError(error.description)
      }
      IntegrityWarning.warn(about: a)
      if b != a { IntegrityWarning.warn(about: b) }
      let sections: [DiffRenderer.Section]
      var onlyInA: [String] = [], onlyInB: [String] = []
      switch (SweepFiles.isSweep(a), SweepFiles.isSweep(b)) {
      case (true, true):
        let diff = try SweepDiff(a: a, b: b)
        sections = diff.pairs.map { ($0.label, $0.diff) }
        onlyInA = diff.onlyInA
        onlyInB = diff.onlyInB
      case (false, false):
        sections = [(nil, try BundleDiff(a: a, b: b))]
      default:
        throw ValidationError(DiffError.mixedKinds(a, b).description)
      }
      print(
        DiffRenderer.render(sections, format: format, all: all, onlyInA: onlyInA, onlyInB: onlyInB, rules: rules),
        terminator: "")
      let tripped = sections.flatMap { $0.diff.metrics }.filter { m in rules.contains { $0.fires(on: m) } }
      if !tripped.isEmpty {
        let names = tripped.map {
          "\($0.variant).\($0.metric) \(String(format: "%+.2f%%", ($0.comparison?.relativeLift ?? .nan) * 100))"
        }
        FileHandle.standardError.write(
          Data("fail-on: significant regression in \(names.joined(separator: ", "))\n".utf8))
        throw ExitCode(1)
      }
    }
  }
}
