/// A sweep folder read back: the plan and, for every finished cell, its summary.
public struct SweepResults: Sendable {
  /// One cell of the plan with its summary (nil while the cell has no complete bundle).
  public struct Cell: Sendable {
    public var index: Int
    public var id: String
    public var parameters: [(key: String, value: JSONValue)]
    public var summary: StoredSummary?
    /// `c=0.5, epsilon=0.1`.
    public var label: String { SweepCell.label(parameters) }
  }

  /// One (variant, metric) column of the sweep, in first-seen order.
  public struct Column: Sendable, Equatable {
    public var variant: String
    public var metric: String
    public var name: String { "\(variant).\(metric)" }
  }

  public var folder: String
  public var name: String
  public var kind: String
  public var parameters: [String]
  public var cells: [Cell]

  public var missing: [Cell] { cells.filter { $0.summary == nil } }

  /// Every (variant, metric) that any finished cell reports.
  public var columns: [Column] {
    var columns: [Column] = []
    for cell in cells {
      for variant in cell.summary?.variants ?? [] {
        for (metric, _) in variant.metrics where !columns.contains(Column(variant: variant.name, metric: metric)) {
          columns.append(Column(variant: variant.name, metric: metric))
        }
      }
    }
    return columns
  }

  /// The statistic of `column` in `cell`, if the cell finished and has it.
  public func statistic(_ cell: Cell, _ column: Column) -> StoredSummary.Statistic? {
    cell.summary?.variants.first { $0.name == column.variant }?.statistic(column.metric)
  }

  /// Reads `<folder>/sweep.json` and each cell's summary.json.
  ///
  /// - Throws: `BundleError.notABundle` when sweep.json is missing or malformed.
  public init(folder: String) throws(BundleError) {
    let plan = try JSONValue.read(path: "\(folder)/sweep.json", what: folder)
    guard plan["format"]?.string == "adlab-sweep/1", let cells = plan["cells"]?.array else {
      throw .notABundle(path: folder, reason: "sweep.json is not an AdLab sweep plan")
    }
    self.folder = folder
    name = plan["name"]?.string ?? ""
    kind = plan["kind"]?.string ?? ""
    parameters = (plan["parameters"]?.array ?? []).compactMap(\.string)
    self.cells = cells.map { cell in
      let id = cell["id"]?.string ?? ""
      let bundle = SweepFiles.cellFolder(folder, id)
      return Cell(
        index: cell["cell"]?.int ?? 0, id: id,
        parameters: (cell["params"]?.entries ?? []).map { (key: $0.0, value: $0.1) },
        summary: SweepFiles.isComplete(bundle) ? try? StoredSummary(bundle: bundle) : nil)
    }
  }
}
