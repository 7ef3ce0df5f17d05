import AdLabTensor
import Foundation

/// One cell of a sweep: the swept keys' values and the plain experiment they make.
public struct SweepCell: Sendable {
  /// Position in the plan (grid order, or sample order for random sweeps).
  public var index: Int
  /// The cell's identity: the experiment id of its resolved spec (first 12 hex of sha256(resolved.json)).
  public var id: String
  /// Each swept key with its value, in axis order.
  public var parameters: [(key: String, value: JSONValue)]
  /// The cell's experiment; its `sourceText` is the sweep's spec with a header naming the cell's values.
  public var loaded: LoadedSpec

  /// `c=0.5, epsilon=0.1`: the values with each key shortened to its last component.
  public var label: String { SweepCell.label(parameters) }

  /// `c=0.5, epsilon=0.1` for swept keys and values.
  static func label(_ parameters: [(key: String, value: JSONValue)]) -> String {
    parameters.map { "\($0.key.split(separator: ".").last.map(String.init) ?? $0.key)=\($0.value.plainText)" }.joined(
      separator: ", ")
  }
}

/// A sweep expanded into cells, each a validated experiment with a stable id.
///
/// The plan is deterministic: the same spec and overrides give the same cells in the same order, and the
/// same `id`; a changed spec changes the cells' ids and so the plan's id (and folder).
public struct SweepPlan: Sendable {
  public var name: String
  /// "grid", "zip", "grid × zip" or "random".
  public var kind: String
  /// The swept keys, in axis order.
  public var parameters: [String]
  public var cells: [SweepCell]
  /// Cells dropped because an earlier cell had the same resolved spec.
  public var duplicates: Int
  /// First 12 hex of sha256(sweep.json): names the sweep folder.
  public var id: String { String(BundleContents.sha256(Data(json.rendered().utf8)).prefix(12)) }

  /// Most cells a sweep may have.
  public static let maximumCells = 100_000

  /// sweep.json: the plan, for resuming, merging shards and reading results back. No wall clock.
  public var json: JSONValue {
    .object([
      ("format", .string("adlab-sweep/1")),
      ("name", .string(name)),
      ("kind", .string(kind)),
      ("parameters", .array(parameters.map(JSONValue.string))),
      (
        "cells",
        .array(
          cells.map { cell in
            .object([
              ("cell", .int(cell.index)), ("id", .string(cell.id)),
              ("params", .object(cell.parameters.map { ($0.key, $0.value) })),
            ])
          })
      ),
    ])
  }

  /// Expands the sweep of `loaded` (its `sweep:` block plus any sweeping `--set`) into validated cells.
  ///
  /// - Throws: `SpecError` when there is nothing to sweep, too many cells, or any cell is not a valid
  ///   experiment (every distinct problem, at the place of the value that caused it).
  public static func expand(_ loaded: LoadedSpec, registry: PluginRegistry) throws -> SweepPlan {
    guard let sweep = loaded.spec.sweep, !sweep.isEmpty else {
      throw SpecError([
        SpecDiagnostic(
          file: loaded.file, mark: SourceMark(line: 1, column: 1), keyPath: "sweep",
          message: "the spec sweeps over nothing",
          suggestion: "add a sweep: block (grid, zip or random) or a sweeping --set such as --set seed=1,2,3")
      ])
    }
    let assignments = try combinations(sweep, seed: sweep.seed ?? loaded.spec.seed, file: loaded.file)
    var base = loaded.tree
    if case .mapping(var mapping) = base {
      mapping.entries.removeAll { $0.key.text == "sweep" }
      base = .mapping(mapping)
    }
    let axes = sweep.axes
    var cells: [SweepCell] = []
    var seen: Set<String> = []
    var problems: [SpecDiagnostic] = []
    var duplicates = 0
    for values in assignments {
      var tree = base
      let sink = DiagnosticSink(file: loaded.file, overrides: loaded.overrides)
      for (axis, value) in zip(axes, values) {
        let file = axis.mark.line <= 0 ? "--set \(loaded.overrides[-axis.mark.line])" : loaded.file
        try tree.set(value, at: axis.path, createdMark: axis.mark, file: file)
      }
      guard let spec = ExperimentSpec.decode(tree, registry: registry, sink: sink) else {
        for d in sink.diagnostics where !problems.contains(d) { problems.append(d) }
        continue
      }
      let id = BundleContents.experimentID(for: spec)
      guard seen.insert(id).inserted else {
        duplicates += 1
        continue
      }
      let parameters = zip(axes, values).map { (key: $0.key, value: JSONValue($1)) }
      var header = "# Sweep cell \(id) of \(loaded.file): the spec below without its sweep: block, with\n"
      header += parameters.map { "#   --set \($0.key)=\($0.value.plainText)\n" }.joined()
      let text = header + loaded.sourceText
      cells.append(
        SweepCell(
          index: cells.count, id: id, parameters: parameters,
          loaded: LoadedSpec(spec: spec, sourceText: text, file: loaded.file, overrides: loaded.overrides, tree: tree)))
    }
    if !problems.isEmpty { throw SpecError(problems, source: (loaded.file, loaded.sourceText)) }
    return SweepPlan(
      name: loaded.spec.name, kind: sweep.kind, parameters: axes.map(\.key), cells: cells, duplicates: duplicates)
  }

  /// Every cell's values, one node per axis: the grid product (first axis slowest) crossed with the zip
  /// rows, or `samples` seeded draws for a random sweep.
  static func combinations(_ sweep: SweepSpec, seed: UInt64, file: String) throws(SpecError) -> [[YAMLNode]] {
    func discrete(_ axis: SweepSpec.Axis) -> [YAMLNode] {
      if case .discrete(let values) = axis.values { return values }
      return []
    }
    if sweep.isRandom {
      var stream = RandomStream(key: StreamKey(seed: seed).child("sweep").child("random"))
      return (0..<sweep.samples).map { _ in
        sweep.random.map { axis -> YAMLNode in
          switch axis.values {
          case .discrete(let values): return values[stream.int(below: values.count)]
          case .uniform(let low, let high):
            return SweepValues.number(
              low + (high - low) * stream.uniform(), integral: false, mark: axis.mark, digits: 6)
          case .logUniform(let low, let high):
            let x = AdLabMath.exp(AdLabMath.log(low) + (AdLabMath.log(high) - AdLabMath.log(low)) * stream.uniform())
            return SweepValues.number(x, integral: false, mark: axis.mark, digits: 6)
          }
        }
      }
    }
    let gridCount = sweep.grid.reduce(1) { $0 * max(1, discrete($1).count) }
    let zipCount = sweep.zip.first.map { discrete($0).count } ?? 1
    guard gridCount.multipliedReportingOverflow(by: zipCount).partialValue <= maximumCells, gridCount <= maximumCells
    else {
      throw SpecError([
        SpecDiagnostic(
          file: file, mark: sweep.axes.first?.mark ?? SourceMark(line: 1, column: 1), keyPath: "sweep",
          message: "the sweep has more than \(maximumCells) cells",
          suggestion: "use fewer values, or a random sweep with samples:")
      ])
    }
    var rows: [[YAMLNode]] = [[]]
    for axis in sweep.grid {
      rows = rows.flatMap { row in discrete(axis).map { row + [$0] } }
    }
    guard !sweep.zip.isEmpty else { return rows }
    return rows.flatMap { row in (0..<zipCount).map { i in row + sweep.zip.map { discrete($0)[i] } } }
  }
}
