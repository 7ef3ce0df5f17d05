/// A tensor operation was given operands it cannot work on. Each message names the operation and the shapes.
///
/// ```
/// matmul: shapes [3, 4] and [5, 2] do not align (4 ≠ 5)
/// ```
public enum TensorError: Error, Equatable, CustomStringConvertible {
  /// Two operands whose shapes do not fit together; `reason` says which dimensions disagree.
  case incompatibleShapes(op: String, lhs: [Int], rhs: [Int], reason: String)
  /// An axis outside `-rank..<rank`.
  case invalidAxis(op: String, axis: Int, shape: [Int])
  /// A shape argument that cannot apply to an operand (reshape to a different count, bad permutation, ...).
  case invalidShape(op: String, shape: [Int], reason: String)
  /// An index outside `0..<bound`.
  case indexOutOfRange(op: String, index: Int, bound: Int)

  public var description: String {
    switch self {
    case .incompatibleShapes(let op, let lhs, let rhs, let reason):
      return "\(op): shapes \(lhs) and \(rhs) \(reason)"
    case .invalidAxis(let op, let axis, let shape):
      return "\(op): axis \(axis) is out of range for shape \(shape) (rank \(shape.count))"
    case .invalidShape(let op, let shape, let reason):
      return "\(op): shape \(shape) \(reason)"
    case .indexOutOfRange(let op, let index, let bound):
      return "\(op): index \(index) is out of range 0..<\(bound)"
    }
  }
}

extension TensorError {
  /// Resolves a possibly negative axis (`-1` = last) against `shape`, or throws `invalidAxis`.
  static func normalize(axis: Int, shape: [Int], op: String) throws(TensorError) -> Int {
    let resolved = axis < 0 ? axis + shape.count : axis
    guard resolved >= 0 && resolved < shape.count else {
      throw .invalidAxis(op: op, axis: axis, shape: shape)
    }
    return resolved
  }
}
