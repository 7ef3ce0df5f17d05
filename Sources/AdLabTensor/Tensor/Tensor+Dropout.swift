/// Dropout with a seeded stream.
extension Tensor {
  /// Inverted dropout: each element is kept with probability `1 − p` and scaled by `1 / (1 − p)`, else set to 0.
  ///
  /// Element `i` (row-major) is dropped when the `i`-th `stream.uniform()` is `< p`: exactly `count` draws, even
  /// when `p == 0`, so the stream's position does not depend on `p`.
  ///
  /// - Precondition: `0 <= p < 1`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func dropout(probability p: Double, stream: inout RandomStream) -> Tensor {
    let mask = Tensor.dropoutMask(shape: shape, probability: p, stream: &stream)
    return (try? self * mask) ?? self  // same shape: cannot fail
  }

  /// The scaled keep mask used by `dropout`: `1 / (1 − p)` where kept, 0 where dropped.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func dropoutMask(shape: [Int], probability p: Double, stream: inout RandomStream) -> Tensor {
    precondition(p >= 0 && p < 1, "Tensor.dropout: probability must be in [0, 1), got \(p)")
    let keep = Scalar(1 / (1 - p))
    var mask = Tensor(uninitializedShape: shape)
    mask.withUnsafeMutableBufferPointer { buffer in
      var local = stream
      for i in buffer.indices { buffer[i] = local.uniform() < p ? 0 : keep }
      stream = local
    }
    return mask
  }
}
