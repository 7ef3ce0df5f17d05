import Foundation

/// The files of an off-policy evaluation bundle: summary.json (machine-readable), summary.md (for people),
/// estimates.csv (tidy: one row per segment, variant and estimator) and sources.json (the logs' files and
/// their sha256, so a bundle names exactly the data it was computed from).
enum OffPolicyReport {
  static func files(_ result: OffPolicyResult) -> [String: Data] {
    [
      "summary.json": Data(summaryJSON(result).rendered().utf8),
      "summary.md": Data(markdown(result).utf8),
      "estimates.csv": Data(csv(result).utf8),
      "sources.json": Data(sourcesJSON(result).rendered().utf8),
    ]
  }

  /// |estimate − truth| / |truth|, when the truth is known and non-zero.
  static func relativeError(_ estimate: Double, truth: Double?) -> Double? {
    guard let truth, truth != 0, estimate.isFinite else { return nil }
    return abs(estimate - truth) / abs(truth)
  }

  static func summaryJSON(_ result: OffPolicyResult) -> JSONValue {
    func optional(_ value: Double?) -> JSONValue { value.map { $0.isFinite ? .number($0) : .null } ?? .null }
    return .object([
      ("experiment", .string(result.spec.name)),
      ("mode", .string("off-policy")),
      ("alpha", .number(result.spec.alpha)),
      ("evaluation", result.settings.resolvedJSON),
      (
        "segments",
        .array(
          result.segments.map { segment in
            .object([
              ("name", .string(segment.name)), ("rounds", .int(segment.rounds)),
              ("candidates", .int(segment.candidates)),
              ("slots", .int(segment.slots)), ("logged_value", .number(segment.loggedValue)),
              (
                "variants",
                .array(
                  segment.variants.map { variant in
                    .object([
                      ("variant", .string(variant.variant)), ("policy", .string(variant.policy)),
                      ("truth", optional(variant.truth)),
                      ("truth_source", variant.truthSource.map(JSONValue.string) ?? .null),
                      (
                        "estimates",
                        .array(
                          variant.estimates.map { e in
                            .object([
                              ("estimator", .string(e.estimator.rawValue)), ("value", optional(e.value)),
                              ("se", optional(e.standardError)),
                              ("ci_lower", optional(e.lower)), ("ci_upper", optional(e.upper)),
                              ("relative_error", optional(relativeError(e.value, truth: variant.truth))),
                            ])
                          })
                      ),
                    ])
                  })
              ),
            ])
          })
      ),
    ])
  }

  static func csv(_ result: OffPolicyResult) -> String {
    func text(_ value: Double?) -> String { value.map { $0.isFinite ? "\($0)" : "" } ?? "" }
    var lines = ["segment,variant,policy,estimator,value,se,ci_lower,ci_upper,truth,relative_error"]
    for segment in result.segments {
      for variant in segment.variants {
        for e in variant.estimates {
          lines.append(
            [
              segment.name, variant.variant, variant.policy, e.estimator.rawValue, text(e.value), text(e.standardError),
              text(e.lower), text(e.upper), text(variant.truth), text(relativeError(e.value, truth: variant.truth)),
            ]
            .joined(separator: ","))
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func markdown(_ result: OffPolicyResult) -> String {
    func f(_ value: Double?, _ digits: Int = 5) -> String {
      guard let value, value.isFinite else { return "–" }
      return String(format: "%.\(digits)f", value)
    }
    let level = Int(((1 - result.spec.alpha) * 100).rounded())
    var out = "# \(result.spec.name): off-policy evaluation\n\n"
    if !result.spec.description.isEmpty { out += result.spec.description + "\n\n" }
    out += "Estimators: \(result.settings.estimators.map(\.rawValue).joined(separator: ", ")); "
    out += "\(result.settings.bootstrap) bootstrap resamples, \(level)% percentile intervals"
    if let model = result.settings.model {
      out += "; reward model `\(model.name)` with \(result.settings.folds)-fold cross-fitting"
    }
    out += ".\n"
    for segment in result.segments {
      out += "\n## \(segment.name)\n\n\(segment.rounds) rounds, \(segment.candidates) actions, \(segment.slots) slots; "
      out += "logged (behaviour) value \(f(segment.loggedValue)).\n"
      for variant in segment.variants {
        out += "\n### \(variant.variant) (`\(variant.policy)`)\n\n"
        if let truth = variant.truth { out += "Truth: \(f(truth)) (\(variant.truthSource ?? "")).\n\n" }
        out += "| estimator | estimate | SE | \(level)% CI | relative error |\n|---|---:|---:|---|---:|\n"
        for e in variant.estimates {
          let rel = relativeError(e.value, truth: variant.truth).map { String(format: "%.1f%%", $0 * 100) } ?? "–"
          out +=
            "| \(e.estimator.rawValue) | \(f(e.value)) | \(f(e.standardError)) | [\(f(e.lower)), \(f(e.upper))] | \(rel) |\n"
        }
      }
    }
    return out
  }

  static func sourcesJSON(_ result: OffPolicyResult) -> JSONValue {
    .object([
      (
        "segments",
        .array(
          result.segments.map { segment in
            .object([
              ("name", .string(segment.name)),
              (
                "metadata",
                .object(
                  segment.metadata.keys.sorted().filter { $0 != "folder" }.map {
                    ($0, .string(segment.metadata[$0] ?? ""))
                  })
              ),
              (
                "files",
                .object(segment.sourceHashes.keys.sorted().map { ($0, .string(segment.sourceHashes[$0] ?? "")) })
              ),
            ])
          })
      )
    ])
  }
}

extension BundleContents {
  /// Renders every file of an off-policy evaluation.
  public init(evaluation result: OffPolicyResult, specText: String) {
    var files = OffPolicyReport.files(result)
    files["spec.yaml"] = Data(specText.utf8)
    files["resolved.json"] = Data(result.spec.resolvedJSON.rendered().utf8)
    self.init(files: files)
  }
}
