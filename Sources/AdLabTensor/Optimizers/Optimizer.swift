/// A first-order optimizer: updates parameters in place from their gradients, keeping per-parameter state.
///
/// Parameters are identified by position: `parameters[i]` must be the same parameter (same shape) at every call.
/// State is created on first use. A `.none` gradient leaves that parameter and its state untouched; a `.rows`
/// gradient (from `gather`) updates only those rows and their state ("lazy" sparse updates; each optimizer
/// documents what that means for it). Updates are element-wise in a fixed order, so results never depend on threads.
public protocol Optimizer<Scalar> {
  associatedtype Scalar: TensorScalar
  /// Applies one optimization step. - Precondition: one gradient per parameter, shaped like it.
  mutating func update(_ parameters: inout [Tensor<Scalar>], gradients: [ParameterGradient<Scalar>])
}

/// Helpers shared by the optimizers.
enum OptimizerSupport {
  /// Calls `body(start, length, gradient)` for each contiguous run of `parameter` that `gradient` covers: the whole
  /// tensor for `.dense`, each row for `.rows`. `start` indexes the parameter's (contiguous) elements.
  static func forEachSegment<Scalar: TensorScalar>(
    of gradient: ParameterGradient<Scalar>, parameterShape shape: [Int], name: String,
    _ body: (_ start: Int, _ length: Int, _ gradient: UnsafePointer<Scalar>) -> Void
  ) {
    switch gradient {
    case .none:
      return
    case .dense(let g):
      precondition(g.shape == shape, "\(name): gradient shape \(g.shape) differs from parameter shape \(shape)")
      g.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress { body(0, buffer.count, base) }
      }
    case .rows(let rows):
      precondition(
        !shape.isEmpty && rows.rowCount == shape[0] && Array(rows.values.shape.dropFirst()) == Array(shape.dropFirst()),
        "\(name): row gradient of shape \(rows.values.shape) over \(rows.rowCount) rows does not fit parameter \(shape)"
      )
      let width = shape.dropFirst().reduce(1, *)
      rows.values.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        for (slot, row) in rows.indices.enumerated() {
          precondition(row >= 0 && row < shape[0], "\(name): row \(row) out of range 0..<\(shape[0])")
          body(row * width, width, base + slot * width)
        }
      }
    }
  }

  /// Checks the call's arity and returns slot tensors grown to `parameters.count`, zero-filled like `parameters`.
  static func ensureSlots<Scalar: TensorScalar>(
    _ slots: inout [Tensor<Scalar>], like parameters: [Tensor<Scalar>], initial: Scalar = 0, name: String
  ) {
    for index in slots.count..<parameters.count {
      slots.append(Tensor(shape: parameters[index].shape, repeating: initial))
    }
    for index in parameters.indices {
      precondition(
        slots[index].shape == parameters[index].shape,
        "\(name): parameter \(index) changed shape from \(slots[index].shape) to \(parameters[index].shape)")
    }
  }

  static func checkArity<Scalar>(_ parameters: [Tensor<Scalar>], _ gradients: [ParameterGradient<Scalar>], name: String)
  {
    precondition(
      parameters.count == gradients.count,
      "\(name): \(parameters.count) parameters but \(gradients.count) gradients")
  }
}
