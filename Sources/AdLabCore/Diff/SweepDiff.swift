/// What changed between two sweeps: cells are paired by their swept values; each pair is a `BundleDiff`.
public struct SweepDiff: Sendable {
  /// Two cells with the same swept values.
  public struct Pair: Sendable {
    public var label: String
    public var diff: BundleDiff
  }

  public var a: String
  public var b: String
  public var pairs: [Pair]
  /// Labels of finished cells found in only one sweep.
  public var onlyInA: [String]
  public var onlyInB: [String]
  public var identical: Bool { onlyInA.isEmpty && onlyInB.isEmpty && pairs.allSatisfy(\.diff.identical) }

  /// Compares the finished cells of the sweep folders `a` and `b`.
  ///
  /// - Throws: `BundleError` when either is not a sweep or a cell bundle is unreadable.
  public init(a: String, b: String) throws(BundleError) {
    let ra = try SweepResults(folder: a), rb = try SweepResults(folder: b)
    func key(_ cell: SweepResults.Cell) -> String {
      JSONValue.object(cell.parameters.map { ($0.key, $0.value) }).compactText
    }
    let finishedA = ra.cells.filter { $0.summary != nil }, finishedB = rb.cells.filter { $0.summary != nil }
    self.a = a
    self.b = b
    var pairs: [Pair] = []
    for cell in finishedA {
      guard let other = finishedB.first(where: { key($0) == key(cell) }) else { continue }
      pairs.append(
        Pair(
          label: cell.label,
          diff: try BundleDiff(a: SweepFiles.cellFolder(a, cell.id), b: SweepFiles.cellFolder(b, other.id))))
    }
    self.pairs = pairs
    onlyInA = finishedA.filter { cell in !finishedB.contains { key($0) == key(cell) } }.map(\.label)
    onlyInB = finishedB.filter { cell in !finishedA.contains { key($0) == key(cell) } }.map(\.label)
  }
}
