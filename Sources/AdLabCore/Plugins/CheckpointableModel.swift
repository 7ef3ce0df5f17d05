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

/// A model whose training can stop and continue bit for bit: its state includes everything learning reads
/// (parameters and optimizer state), which `checkpoint()` may leave out. `adlab train` keeps it per epoch.
public protocol ResumableModel: CheckpointableModel {
  /// Parameters and optimizer state.
  func trainingState() -> Checkpoint
  /// Replaces parameters and optimizer state with a `trainingState()` of the same model and parameters.
  func restoreTrainingState(from checkpoint: Checkpoint) throws
}
