import Foundation

/// Output format of `adlab diff`.
public enum DiffFormat: String, Sendable, CaseIterable {
  case text, markdown, json, csv
}

/// Renders bundle and sweep diffs for people (text, markdown) and programs (json, csv).
public enum DiffRenderer {
  /// One bundle diff, with the cell label when it comes from a sweep.
  public typealias Section = (label: String?, diff: BundleDiff)

  /// Renders `sections` (one for a bundle diff, one per paired cell for a sweep diff).
  ///
  /// - Parameters:
  ///   - all: show unchanged metrics too (by default only changed ones).
  ///   - onlyInA, onlyInB: sweep cells present on one side only.
  ///   - rules: `--fail-on` rules, to mark the rows that trip them.
  public static func render(
    _ sections: [Section], format: DiffFormat, all: Bool, onlyInA: [String] = [], onlyInB: [String] = [],
    rules: [FailOnRule] = []
  ) -> String {
    switch format {
    case .text, .markdown:
      return human(sections, markdown: format == .markdown, all: all, onlyInA: onlyInA, onlyInB: onlyInB, rules: rules)
    case .json: return json(sections, all: all, onlyInA: onlyInA, onlyInB: onlyInB, rules: rules).rendered()
    case .csv: return csv(sections, all: all, rules: rules)
    }
  }

  static func rows(_ diff: BundleDiff, all: Bool) -> [BundleDiff.MetricChange] {
    all ? diff.metrics : diff.metrics.filter(\.changed)
  }

  static func cells(_ m: BundleDiff.MetricChange) -> [String] {
    let c = m.comparison
    return [
      m.variant, m.metric, m.a.map { Text.number($0.mean) } ?? "absent", m.b.map { Text.number($0.mean) } ?? "absent",
      c.map { Text.signed($0.difference) } ?? "n/a", c.map { Text.signedPercent($0.relativeLift) } ?? "n/a",
      c.map { "[\(Text.signed($0.ciLower)), \(Text.signed($0.ciUpper))]" } ?? "n/a",
      c.map { Text.pValue($0.pValue) } ?? "n/a",
      testName(c), m.significant ? (m.isRegression ? "worse" : "better") : "no",
    ]
  }

  /// The test behind one comparison, as the table and the CSV name it.
  static func testName(_ comparison: Comparison?) -> String {
    switch comparison?.method {
    case .pairedT?: return "paired"
    case .welch?: return "Welch"
    case nil: return "n/a"
    }
  }

  /// Which tests a diff used and why, for the heading of its metrics.
  static func testNote(_ diff: BundleDiff) -> String {
    if let reason = diff.notPairedBecause {
      return "Welch's t-test over replications; not paired: \(reason)"
    }
    let welch = diff.metrics.contains { $0.comparison?.method == .welch }
    return "paired t-test over replications (\(BundleDiff.pairingRule))"
      + (welch ? "; Welch's for metrics series.csv does not give per replication" : "")
  }

  private static func human(
    _ sections: [Section], markdown: Bool, all: Bool, onlyInA: [String], onlyInB: [String], rules: [FailOnRule]
  ) -> String {
    var out = ""
    let identical = sections.allSatisfy(\.diff.identical) && onlyInA.isEmpty && onlyInB.isEmpty
    if let first = sections.first {
      let percent = Text.trimmed(first.diff.confidence * 100)
      out += markdown ? "# Diff\n\n" : ""
      out += sections.count > 1 || first.label != nil ? "Sweeps: \(sections.count) paired cells. " : ""
      out += identical ? "IDENTICAL: every digest matches.\n" : "DIFFERENT.\n"
      out += markdown ? "\n" : ""
      if !onlyInA.isEmpty { out += "Cells only in A: " + onlyInA.joined(separator: "; ") + "\n" }
      if !onlyInB.isEmpty { out += "Cells only in B: " + onlyInB.joined(separator: "; ") + "\n" }
      for (label, diff) in sections where all || label == nil || !diff.identical {
        out +=
          markdown
          ? "\n## \(label.map { "Cell \($0)" } ?? "Bundles")\n\n" : "\n" + (label.map { "== cell \($0)\n" } ?? "")
        out +=
          "A: \(diff.a) (digest \(diff.digestA.prefix(16)))\(markdown ? "  " : "")\nB: \(diff.b) (digest \(diff.digestB.prefix(16)))\n"
        // A sweep says it per cell; a single pair already said it in the first line.
        if label != nil { out += diff.identical ? "identical\n" : "different\n" }
        for warning in diff.warnings { out += (markdown ? "\n> **warning**: " : "warning: ") + warning + "\n" }
        for (title, changes) in [("Spec changes", diff.specChanges), ("Provenance changes", diff.provenanceChanges)]
        where !changes.isEmpty {
          out += markdown ? "\n### \(title)\n\n" : "\(title.lowercased()):\n"
          for change in changes {
            let line = "\(change.path): \(change.old ?? "(absent)") → \(change.new ?? "(absent)")"
            out +=
              markdown
              ? "- `\(change.path)`: \(change.old ?? "(absent)") → \(change.new ?? "(absent)")\n" : "  \(line)\n"
          }
        }
        let shown = rows(diff, all: all)
        let header = [
          "variant", "metric", "A", "B", "change", "relative", "\(percent)% CI", "p", "test", "significant",
        ]
        if shown.isEmpty {
          out += markdown ? "\nNo metric changed.\n" : "no metric changed\n"
          continue
        }
        let tests = testNote(diff)
        out += markdown ? "\n### Metrics (B − A; \(tests))\n\n" : "metrics (B − A; \(tests)):\n"
        var table = shown.map { m in cells(m) + [rules.contains { $0.fires(on: m) } ? "FAIL-ON" : ""] }
        if markdown {
          out +=
            "| " + header.joined(separator: " | ") + " | gate |\n|" + String(repeating: "---|", count: header.count + 1)
            + "\n"
          for row in table { out += "| " + row.joined(separator: " | ") + " |\n" }
        } else {
          table.insert(header + [""], at: 0)
          let widths = (0..<table[0].count).map { col in table.map { $0[col].count }.max() ?? 0 }
          for row in table {
            out +=
              "  "
              + zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
              .trimmingCharacters(in: .whitespaces) + "\n"
          }
        }
      }
    }
    return out
  }

  private static func json(_ sections: [Section], all: Bool, onlyInA: [String], onlyInB: [String], rules: [FailOnRule])
    -> JSONValue
  {
    func stat(_ s: StoredSummary.Statistic?) -> JSONValue {
      guard let s else { return .null }
      return .object([
        ("n", .int(s.count)), ("mean", .number(s.mean)), ("sd", .number(s.standardDeviation)),
        ("ci", .array([.number(s.ciLower), .number(s.ciUpper)])),
      ])
    }
    func changes(_ list: [BundleDiff.Change]) -> JSONValue {
      .array(
        list.map {
          .object([
            ("path", .string($0.path)), ("old", $0.old.map(JSONValue.string) ?? .null),
            ("new", $0.new.map(JSONValue.string) ?? .null),
          ])
        })
    }
    return .object([
      ("identical", .bool(sections.allSatisfy(\.diff.identical) && onlyInA.isEmpty && onlyInB.isEmpty)),
      ("only_in_a", .array(onlyInA.map(JSONValue.string))), ("only_in_b", .array(onlyInB.map(JSONValue.string))),
      (
        "diffs",
        .array(
          sections.map { label, diff in
            .object([
              ("cell", label.map(JSONValue.string) ?? .null), ("a", .string(diff.a)), ("b", .string(diff.b)),
              ("digest_a", .string(diff.digestA)), ("digest_b", .string(diff.digestB)),
              ("identical", .bool(diff.identical)),
              ("warnings", .array(diff.warnings.map(JSONValue.string))),
              ("paired", .bool(diff.paired)),
              ("not_paired_because", diff.notPairedBecause.map(JSONValue.string) ?? .null),
              ("spec_changes", changes(diff.specChanges)), ("provenance_changes", changes(diff.provenanceChanges)),
              (
                "metrics",
                .array(
                  rows(diff, all: all).map { m in
                    let c = m.comparison
                    return .object([
                      ("variant", .string(m.variant)), ("metric", .string(m.metric)), ("a", stat(m.a)),
                      ("b", stat(m.b)),
                      ("change", .number(c?.difference ?? .nan)), ("relative_change", .number(c?.relativeLift ?? .nan)),
                      ("ci", .array([.number(c?.ciLower ?? .nan), .number(c?.ciUpper ?? .nan)])),
                      ("p_value", .number(c?.pValue ?? .nan)),
                      ("test", .string(testName(c))), ("significant", .bool(m.significant)),
                      ("regression", .bool(m.isRegression)),
                      ("fail_on", .bool(rules.contains { $0.fires(on: m) })),
                    ])
                  })
              ),
            ])
          })
      ),
    ])
  }

  private static func csv(_ sections: [Section], all: Bool, rules: [FailOnRule]) -> String {
    var out =
      "cell,variant,metric,a,b,change,relative_change,ci_low,ci_high,p_value,significant,regression,fail_on,test\n"
    func num(_ x: Double?) -> String { x.map { $0.isFinite ? JSONValue.format($0) : "" } ?? "" }
    for (label, diff) in sections {
      for m in rows(diff, all: all) {
        let c = m.comparison
        let fields = [
          label ?? "", m.variant, m.metric, num(m.a?.mean), num(m.b?.mean), num(c?.difference), num(c?.relativeLift),
          num(c?.ciLower), num(c?.ciUpper), num(c?.pValue), String(m.significant), String(m.isRegression),
          String(rules.contains { $0.fires(on: m) }), testName(c),
        ]
        out += fields.map(SweepCSV.field).joined(separator: ",") + "\n"
      }
    }
    return out
  }
}
