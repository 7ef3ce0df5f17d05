/// How to fill a new parameter tensor. Random initializers draw from `RandomStream(key:)` in row-major order.
///
/// Fans follow the convention that a weight of shape `[fanIn, fanOut]` is used as `x · W`; for rank > 2 the
/// leading dimensions form a receptive field `r` and `fanIn = shape[rank−2]·r`, `fanOut = shape[rank−1]·r`; a
/// vector has `fanIn = fanOut = shape[0]`.
///
/// | case | distribution |
/// |---|---|
/// | `glorotUniform` | U(−a, a), a = √(6 / (fanIn + fanOut)) (Glorot & Bengio 2010) |
/// | `glorotNormal` | N(0, 2 / (fanIn + fanOut)) (plain normal, not truncated) |
/// | `heUniform` | U(−a, a), a = √(6 / fanIn) (He et al. 2015) |
/// | `heNormal` | N(0, 2 / fanIn) (plain normal, not truncated) |
public enum Initializer: Sendable, Equatable {
  case zeros
  case ones
  case constant(Double)
  /// `low + (high − low) · uniform()`.
  case uniform(low: Double, high: Double)
  /// `mean + standardDeviation · normal()`.
  case normal(mean: Double, standardDeviation: Double)
  case glorotUniform
  case glorotNormal
  case heUniform
  case heNormal

  /// `(fanIn, fanOut)` of a weight of `shape` (see the type's documentation).
  public static func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
    switch shape.count {
    case 0: return (1, 1)
    case 1: return (shape[0], shape[0])
    default:
      let receptive = shape.dropLast(2).reduce(1, *)
      return (shape[shape.count - 2] * receptive, shape[shape.count - 1] * receptive)
    }
  }
}

extension Tensor {
  /// A tensor of `shape` filled by `initializer`, drawing from a fresh `RandomStream(key: key)`.
  ///
  /// - Precondition: bounds and deviations finite, `low < high`, `standardDeviation >= 0`, fans positive for
  ///   Glorot/He.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public init(shape: [Int], initializer: Initializer, key: StreamKey) {
    var stream = RandomStream(key: key)
    let (fanIn, fanOut) = Initializer.fans(of: shape)
    switch initializer {
    case .zeros:
      self.init(shape: shape, repeating: 0)
    case .ones:
      self.init(shape: shape, repeating: 1)
    case .constant(let value):
      precondition(value.isFinite, "Initializer.constant: value must be finite, got \(value)")
      self.init(shape: shape, repeating: Scalar(value))
    case .uniform(let low, let high):
      precondition(low < high && low.isFinite && high.isFinite, "Initializer.uniform: need finite low < high")
      self = Tensor.filled(shape, &stream) { low + (high - low) * $0.uniform() }
    case .normal(let mean, let deviation):
      precondition(mean.isFinite && deviation >= 0 && deviation.isFinite, "Initializer.normal: bad mean or deviation")
      self = Tensor.filled(shape, &stream) { mean + deviation * $0.normal() }
    case .glorotUniform, .heUniform:
      precondition(fanIn > 0 && fanOut > 0, "Initializer: fans must be positive for shape \(shape)")
      let limit =
        initializer == .glorotUniform ? (6 / Double(fanIn + fanOut)).squareRoot() : (6 / Double(fanIn)).squareRoot()
      self = Tensor.filled(shape, &stream) { limit * (2 * $0.uniform() - 1) }
    case .glorotNormal, .heNormal:
      precondition(fanIn > 0 && fanOut > 0, "Initializer: fans must be positive for shape \(shape)")
      let deviation =
        initializer == .glorotNormal ? (2 / Double(fanIn + fanOut)).squareRoot() : (2 / Double(fanIn)).squareRoot()
      self = Tensor.filled(shape, &stream) { deviation * $0.normal() }
    }
  }

  static func filled(_ shape: [Int], _ stream: inout RandomStream, _ draw: (inout RandomStream) -> Double) -> Tensor {
    var result = Tensor(uninitializedShape: shape)
    result.withUnsafeMutableBufferPointer { buffer in
      for i in buffer.indices { buffer[i] = Scalar(draw(&stream)) }
    }
    return result
  }
}
