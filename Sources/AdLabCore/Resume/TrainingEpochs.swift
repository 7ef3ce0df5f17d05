import AdLabTensor
import Foundation

/// Where one model's offline training stands after an epoch: what `OfflineTrainer.fit` needs to continue.
struct TrainingProgress {
  /// Epochs run so far.
  var epoch = 0
  var history: [Double] = []
  var bestEpoch = 0
  var best = Predictions()
  var bestCheckpoint: Checkpoint?
  /// Early stopping ended the training.
  var finished = false
}

/// Keeps a model's training state after each epoch in the resume folder (`epoch-<variant>.ckpt`, the tensor core's
/// checkpoint format with its CRC-32), and gives it back to a resumed run. Does nothing without a store or for a
/// model that cannot save its whole training state (it then trains from the start again).
///
/// The file holds `model.*` (parameters and optimizer state), `best.*` (the best epoch's checkpoint), `history`
/// (validation log loss per epoch), `progress` (epoch, best epoch, finished) and the best epoch's validation
/// predictions.
struct TrainingEpochs {
  var store: ResumeStore?
  var variant = 0
  var stop: StopRequest?

  private var name: String { "epoch-\(variant).ckpt" }

  /// The kept progress, after restoring the model's state from it; nil when nothing usable is kept.
  func restore(into model: any InterestModel) throws -> TrainingProgress? {
    guard let store, let model = model as? any ResumableModel, let data = store.load(name),
      let checkpoint = try? Checkpoint(decoding: Array(data))
    else { return nil }
    let numbers = try checkpoint.tensor("progress", as: Double.self, shape: [3]).scalars
    let history = try checkpoint.tensor("history", as: Double.self).scalars
    let epoch = history.count
    guard numbers[0] == Double(epoch), numbers[1] >= 0, numbers[1] <= numbers[0], epoch > 0 else {
      throw ResumeError.damagedRecord(reason: "\(name) holds an inconsistent epoch count")
    }
    var progress = TrainingProgress(
      epoch: epoch, history: history, bestEpoch: Int(numbers[1]), finished: numbers[2] != 0)
    progress.best.click = try checkpoint.tensor("best_predictions.click", as: Double.self).scalars
    if checkpoint.entries["best_predictions.conversion"] != nil {
      progress.best.conversion = try checkpoint.tensor("best_predictions.conversion", as: Double.self).scalars
    }
    if progress.bestEpoch > 0 { progress.bestCheckpoint = checkpoint.extracting(prefix: "best.") }
    try model.restoreTrainingState(from: checkpoint.extracting(prefix: "model."))
    return progress
  }

  /// Keeps the state after an epoch.
  func keep(_ progress: TrainingProgress, of model: any InterestModel) throws {
    guard let store, let model = model as? any ResumableModel else { return }
    var checkpoint = Checkpoint()
    checkpoint.insert(model.trainingState(), prefix: "model.")
    if let best = progress.bestCheckpoint { checkpoint.insert(best, prefix: "best.") }
    checkpoint.set(
      "progress",
      Tensor(shape: [3], scalars: [Double(progress.epoch), Double(progress.bestEpoch), progress.finished ? 1 : 0]))
    checkpoint.set("history", Tensor(shape: [progress.history.count], scalars: progress.history))
    checkpoint.set("best_predictions.click", Tensor(shape: [progress.best.click.count], scalars: progress.best.click))
    if !progress.best.conversion.isEmpty {
      checkpoint.set(
        "best_predictions.conversion",
        Tensor(shape: [progress.best.conversion.count], scalars: progress.best.conversion))
    }
    try store.store(Data(checkpoint.encoded()), as: name)
    CrashPoint.epoch.reached()
  }
}
