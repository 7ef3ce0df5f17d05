public import AdLabTensor

/// An interest model whose learned state can be saved and restored with the tensor core's `Checkpoint` format:
/// offline training keeps the best epoch's state this way and writes it into the bundle.
public protocol CheckpointableModel: InterestModel {
  /// The learned state (parameters and the optimizer state needed to continue) as named tensors.
  func checkpoint() -> Checkpoint
  /// Replaces the learned state with a checkpoint of the same model and parameters.
  /// - Throws: `CheckpointError` when a tensor is missing or mis-shaped.
  func restore(from checkpoint: Checkpoint) throws
}
