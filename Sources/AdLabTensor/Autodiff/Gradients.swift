/// The gradients of one output with respect to the `variable` leaves of a tape.
///
/// A leaf that is read only through `gather(rows:)` (an embedding table) gets a row-sparse gradient: `rowSparse(_:)`
/// gives the touched rows only, and `parameterGradient(_:)` passes it on so that optimizers update those rows only.
public struct Gradients<Scalar: TensorScalar> {
  var dense: [Int: Tensor<Scalar>] = [:]
  var sparse: [Int: [(indices: [Int], values: Tensor<Scalar>)]] = [:]
  var shapes: [Int: [Int]] = [:]

  /// The dense gradient of `variable` (row-sparse parts added in), or `nil` if no gradient reached it.
  public subscript(_ variable: Variable<Scalar>) -> Tensor<Scalar>? {
    let index = variable.index
    var result = dense[index]
    if let rows = rowContributions(index) {
      var full = result ?? Tensor.zeros(shapes[index] ?? variable.shape)
      // Shapes were checked when recording the gather.
      try? full.scatterAdd(rows: rows.indices, values: rows.values)
      result = full
    }
    return result
  }

  /// The gradient of `variable` as touched rows, when it reached the leaf through `gather` only; else `nil`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func rowSparse(_ variable: Variable<Scalar>) -> RowSparseGradient<Scalar>? {
    guard dense[variable.index] == nil, let rows = rowContributions(variable.index) else { return nil }
    return RowSparseGradient(rowCount: variable.shape[0], contributions: rows)
  }

  /// The gradient in the form optimizers take: rows when sparse, dense otherwise, `.none` if unreached.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func parameterGradient(_ variable: Variable<Scalar>) -> ParameterGradient<Scalar> {
    if let rows = rowSparse(variable) { return .rows(rows) }
    if let tensor = self[variable] { return .dense(tensor) }
    return .none
  }

  /// All row contributions of leaf `index`, in backward order, joined into one (indices, values) pair.
  func rowContributions(_ index: Int) -> (indices: [Int], values: Tensor<Scalar>)? {
    guard let parts = sparse[index], let first = parts.first else { return nil }
    if parts.count == 1 { return first }
    // Parts share their trailing shape (that of the gathered table); joining keeps their order.
    let values = (try? Tensor.concatenate(parts.map(\.values), axis: 0)) ?? first.values
    return (parts.flatMap(\.indices), values)
  }
}

/// The gradient of a row-indexed table (axis 0) restricted to the rows that were read.
public struct RowSparseGradient<Scalar: TensorScalar> {
  /// Rows of the full table.
  public let rowCount: Int
  /// The touched rows, ascending and distinct.
  public let indices: [Int]
  /// Their gradients: shape `[indices.count] + tableShape[1...]`, row `i` belongs to `indices[i]`.
  public var values: Tensor<Scalar>

  /// Sums contributions per row: a row's contributions are added in the order they appear.
  init(rowCount: Int, contributions: (indices: [Int], values: Tensor<Scalar>)) {
    self.rowCount = rowCount
    let rows = contributions.indices
    let unique: [Int]
    let slots: [Int]
    if rowCount <= 16 * rows.count {
      // A table not much larger than the batch (embedding tables under a batch of lookups): mark the touched
      // rows in a dense array, then number them in one ascending scan; no hashing and no sort.
      var slotOfRow = [Int](repeating: -1, count: rowCount)
      for row in rows { slotOfRow[row] = 0 }
      var touched: [Int] = []
      for row in 0..<rowCount where slotOfRow[row] == 0 {
        slotOfRow[row] = touched.count
        touched.append(row)
      }
      unique = touched
      slots = rows.map { slotOfRow[$0] }
    } else {
      unique = Array(Set(rows)).sorted()
      var position: [Int: Int] = [:]
      for (slot, row) in unique.enumerated() { position[row] = slot }
      slots = rows.map { position[$0] ?? 0 }
    }
    var values = Tensor<Scalar>.zeros([unique.count] + contributions.values.shape.dropFirst())
    // In range and shaped by construction.
    try? values.scatterAdd(rows: slots, values: contributions.values)
    self.indices = unique
    self.values = values
  }

  /// Public memberwise form. - Precondition: `indices` ascending and distinct, `values` has one row per index.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public init(rowCount: Int, indices: [Int], values: Tensor<Scalar>) {
    precondition(zip(indices, indices.dropFirst()).allSatisfy { $0 < $1 }, "RowSparseGradient: indices must ascend")
    precondition(values.shape.first == indices.count, "RowSparseGradient: one row of values per index")
    self.rowCount = rowCount
    self.indices = indices
    self.values = values
  }

  /// The dense gradient of the whole table.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func densified() -> Tensor<Scalar> {
    var full = Tensor<Scalar>.zeros([rowCount] + values.shape.dropFirst())
    try? full.scatterAdd(rows: indices, values: values)
    return full
  }
}

/// One parameter's gradient as handed to an optimizer.
public enum ParameterGradient<Scalar: TensorScalar> {
  /// No gradient reached the parameter: optimizers leave it (and its state) unchanged.
  case none
  /// A gradient for every element.
  case dense(Tensor<Scalar>)
  /// A gradient for some rows along axis 0 only (from `gather`): optimizers update those rows only.
  case rows(RowSparseGradient<Scalar>)
}
