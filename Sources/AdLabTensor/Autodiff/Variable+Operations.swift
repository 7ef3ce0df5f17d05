/// Differentiable operations: each computes the forward value with the `Tensor` operation of the same name and
/// records a node. Errors are those of the tensor operation.
extension Variable {
  // MARK: - Arithmetic (broadcasting; gradients are summed back to each operand's shape)

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func + (lhs: Variable, rhs: Variable) throws(TensorError) -> Variable {
    lhs.tape.record(try lhs.value + rhs.value, .add(lhs.index, rhs.index), lhs, rhs)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func - (lhs: Variable, rhs: Variable) throws(TensorError) -> Variable {
    lhs.tape.record(try lhs.value - rhs.value, .subtract(lhs.index, rhs.index), lhs, rhs)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func * (lhs: Variable, rhs: Variable) throws(TensorError) -> Variable {
    lhs.tape.record(try lhs.value * rhs.value, .multiply(lhs.index, rhs.index), lhs, rhs)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func / (lhs: Variable, rhs: Variable) throws(TensorError) -> Variable {
    lhs.tape.record(try lhs.value / rhs.value, .divide(lhs.index, rhs.index), lhs, rhs)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func + (lhs: Variable, rhs: Scalar) -> Variable {
    lhs.tape.record(lhs.value + rhs, .addScalar(lhs.index), lhs)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func + (lhs: Scalar, rhs: Variable) -> Variable { rhs + lhs }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func - (lhs: Variable, rhs: Scalar) -> Variable { lhs + (-rhs) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func - (lhs: Scalar, rhs: Variable) -> Variable { -rhs + lhs }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func * (lhs: Variable, rhs: Scalar) -> Variable {
    lhs.tape.record(lhs.value * rhs, .multiplyScalar(lhs.index, rhs), lhs)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func * (lhs: Scalar, rhs: Variable) -> Variable { rhs * lhs }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func / (lhs: Variable, rhs: Scalar) -> Variable { lhs * (1 / rhs) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static prefix func - (operand: Variable) -> Variable {
    operand.tape.record(-operand.value, .negate(operand.index), operand)
  }

  // MARK: - Element-wise functions

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func exp() -> Variable { tape.record(value.exp(), .exp(index), self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func log() -> Variable { tape.record(value.log(), .log(index), self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func squared() -> Variable { tape.record(value.squared(), .square(index), self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func relu() -> Variable { tape.record(value.relu(), .relu(index), self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func sigmoid() -> Variable { tape.record(value.sigmoid(), .sigmoid(index), self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func tanh() -> Variable { tape.record(value.tanh(), .tanh(index), self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func gelu() -> Variable { tape.record(value.gelu(), .gelu(index), self) }

  /// Inverted dropout (see `Tensor.dropout`); the mask is saved for the gradient.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func dropout(probability p: Double, stream: inout RandomStream) -> Variable {
    let mask = Tensor<Scalar>.dropoutMask(shape: shape, probability: p, stream: &stream)
    return tape.record((try? value * mask) ?? value, .dropout(index, mask: mask), self)
  }

  // MARK: - Linear algebra

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func matmul(_ other: Variable) throws(TensorError) -> Variable {
    tape.record(try value.matmul(other.value), .matmul(index, other.index), self, other)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func batchedMatmul(_ other: Variable) throws(TensorError) -> Variable {
    tape.record(try value.batchedMatmul(other.value), .batchedMatmul(index, other.index), self, other)
  }

  // MARK: - Reductions

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func sum() -> Variable { tape.record(value.sum(), .sum(index), self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func mean() -> Variable { tape.record(value.mean(), .mean(index), self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func sum(axis: Int, keepDims: Bool = false) throws(TensorError) -> Variable {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "sum")
    return tape.record(
      try value.sum(axis: axis, keepDims: keepDims), .sumAxis(index, axis: axis, keepDims: keepDims), self)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func mean(axis: Int, keepDims: Bool = false) throws(TensorError) -> Variable {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "mean")
    return tape.record(
      try value.mean(axis: axis, keepDims: keepDims), .meanAxis(index, axis: axis, keepDims: keepDims), self)
  }
  /// Maxima along `axis`; the gradient goes to the first maximal element.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func max(axis: Int, keepDims: Bool = false) throws(TensorError) -> Variable {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "max")
    return tape.record(
      try value.max(axis: axis, keepDims: keepDims), .maxAxis(index, axis: axis, keepDims: keepDims), self)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func logSumExp(axis: Int, keepDims: Bool = false) throws(TensorError) -> Variable {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "logSumExp")
    return tape.record(
      try value.logSumExp(axis: axis, keepDims: keepDims), .logSumExp(index, axis: axis, keepDims: keepDims), self)
  }

  // MARK: - Normalization

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func softmax(axis: Int = -1) throws(TensorError) -> Variable {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "softmax")
    return tape.record(try value.softmax(axis: axis), .softmax(index, axis: axis), self)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func logSoftmax(axis: Int = -1) throws(TensorError) -> Variable {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "logSoftmax")
    return tape.record(try value.logSoftmax(axis: axis), .logSoftmax(index, axis: axis), self)
  }
  /// Layer normalization over the last axis (see `Tensor.layerNorm`); differentiable in `self`, gamma and beta.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func layerNorm(gamma: Variable, beta: Variable, epsilon: Scalar = 1e-5) throws(TensorError) -> Variable {
    let forward = try value.layerNormForward(gamma: gamma.value, beta: beta.value, epsilon: epsilon)
    return tape.record(
      forward.output,
      .layerNorm(
        x: index, gamma: gamma.index, beta: beta.index, mean: forward.mean,
        inverseDeviation: forward.inverseDeviation),
      self, gamma, beta)
  }

  // MARK: - Indexing and shape

  /// Rows of a table (embedding lookup). If `self` is a `variable` leaf, its gradient is row-sparse.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func gather(rows indices: [Int]) throws(TensorError) -> Variable {
    tape.record(try value.gather(rows: indices), .gather(index, indices: indices), self)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func concatenate(_ variables: [Variable], axis: Int) throws(TensorError) -> Variable {
    guard let first = variables.first else {
      throw .invalidShape(op: "concatenate", shape: [], reason: "needs at least one tensor")
    }
    let axis = try TensorError.normalize(axis: axis, shape: first.shape, op: "concatenate")
    let value = try Tensor.concatenate(variables.map(\.value), axis: axis)
    return first.tape.record(value, .concatenate(variables.map(\.index), axis: axis), inputs: variables)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func reshaped(_ newShape: [Int]) throws(TensorError) -> Variable {
    tape.record(try value.reshaped(newShape), .reshape(index), self)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func permuted(_ axes: [Int]) throws(TensorError) -> Variable {
    tape.record(try value.permuted(axes), .permute(index, axes: axes), self)
  }
  /// Swaps the last two axes. - Precondition: rank >= 2.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func transposed() -> Variable {
    var axes = Array(0..<shape.count)
    axes.swapAt(axes.count - 1, axes.count - 2)
    return tape.record(value.transposed(), .permute(index, axes: axes), self)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func slice(axis: Int, _ range: Range<Int>) throws(TensorError) -> Variable {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "slice")
    return tape.record(try value.slice(axis: axis, range), .slice(index, axis: axis, range: range), self)
  }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func broadcasted(to target: [Int]) throws(TensorError) -> Variable {
    tape.record(try value.broadcasted(to: target), .broadcast(index), self)
  }

  // MARK: - Losses (means over all elements, as rank-0 variables)

  /// Mean binary cross-entropy of logits `z` against `targets` y in [0, 1], computed stably as
  /// `mean(max(z, 0) − z·y + log(1 + e^−|z|))`. Gradient: `(sigmoid(z) − y) / count`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func sigmoidCrossEntropy(targets: Tensor<Scalar>) throws(TensorError) -> Variable {
    guard targets.shape == shape else {
      throw .incompatibleShapes(
        op: "sigmoidCrossEntropy", lhs: shape, rhs: targets.shape, reason: "differ (logits and targets)")
    }
    var total: Scalar = 0
    let z = value.scalars
    let y = targets.scalars
    for i in 0..<z.count {
      total += Swift.max(z[i], 0) - z[i] * y[i] + Scalar.log1p(Scalar.exp(-Swift.abs(z[i])))
    }
    return tape.record(Tensor(scalar: total / Scalar(z.count)), .sigmoidCrossEntropy(index, targets: targets), self)
  }

  /// Mean squared error `mean((x − t)²)`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func meanSquaredError(targets: Tensor<Scalar>) throws(TensorError) -> Variable {
    guard targets.shape == shape else {
      throw .incompatibleShapes(
        op: "meanSquaredError", lhs: shape, rhs: targets.shape, reason: "differ (predictions and targets)")
    }
    let loss = try (value - targets).squared().mean()
    return tape.record(loss, .meanSquaredError(index, targets: targets), self)
  }
}
