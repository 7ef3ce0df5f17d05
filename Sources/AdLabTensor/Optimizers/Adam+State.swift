extension Adam {
  /// The optimizer's state as named tensors (step count, first and second moments), so training can continue
  /// bit for bit after a restart: `restoreState(from:)` on a fresh optimizer of the same settings.
  public func state() -> Checkpoint {
    var checkpoint = Checkpoint()
    checkpoint.set("step", Tensor<Double>(shape: [1], scalars: [Double(core.step)]))
    for (index, moment) in core.first.enumerated() { checkpoint.set("first.\(index)", moment) }
    for (index, moment) in core.second.enumerated() { checkpoint.set("second.\(index)", moment) }
    return checkpoint
  }

  /// Replaces the state with one from `state()`; `shapes` are the parameters' shapes (moments exist once a step
  /// has been taken).
  public mutating func restoreState(from checkpoint: Checkpoint, shapes: [[Int]]) throws(CheckpointError) {
    let step = try checkpoint.tensor("step", as: Double.self, shape: [1]).scalars[0]
    guard step >= 0, step < 1e15, step == step.rounded() else {
      throw .malformed("Adam step \(step) is not a step count")
    }
    var restored = AdamMoments<Scalar>()
    restored.step = Int(step)
    if restored.step > 0 {
      for (index, shape) in shapes.enumerated() {
        restored.first.append(try checkpoint.tensor("first.\(index)", as: Scalar.self, shape: shape))
        restored.second.append(try checkpoint.tensor("second.\(index)", as: Scalar.self, shape: shape))
      }
    }
    core = restored
  }
}
