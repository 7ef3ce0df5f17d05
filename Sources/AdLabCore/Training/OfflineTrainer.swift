public import AdLabTensor
import Foundation

/// Quality of probability predictions on the validation examples.
public struct PredictionQuality: Sendable {
  public var auc: Double
  public var logLoss: Double
  /// Predicted over observed positives.
  public var calibration: Double
  public var reliability: ReliabilityTable

  public init(probabilities: [Double], labels: [Double]) {
    auc = BinaryMetrics.auc(scores: probabilities, labels: labels)
    logLoss = BinaryMetrics.logLoss(probabilities: probabilities, labels: labels)
    calibration = BinaryMetrics.calibration(probabilities: probabilities, labels: labels)
    reliability = ReliabilityTable(probabilities: probabilities, labels: labels)
  }
}

/// One variant's model after offline training.
public struct TrainedModel: Sendable {
  public var variant: String
  public var model: String
  /// Validation log loss after each epoch run.
  public var validationLogLoss: [Double]
  /// The epoch whose state was kept (1-based): the one with the lowest validation log loss.
  public var bestEpoch: Int
  /// pCTR quality on the validation examples, at the best epoch.
  public var click: PredictionQuality
  /// pCVR (given a click) quality on the clicked validation examples, when the model and environment have conversions.
  public var conversion: PredictionQuality?
  /// The best epoch's state, when the model can be checkpointed.
  public var checkpoint: Checkpoint?
}

/// Everything `adlab train` produced.
public struct TrainingResult: Sendable {
  public var spec: ExperimentSpec
  public var settings: TrainingSettings
  public var trainExamples: Int
  public var validationExamples: Int
  /// Observed click rate (and conversion rate among clicks) of the validation examples.
  public var validationCTR: Double
  public var validationCVR: Double?
  /// The oracle's true probabilities scored like a model: the Bayes-optimal AUC and log loss of these data.
  public var bayes: PredictionQuality?
  public var bayesConversion: PredictionQuality?
  public var models: [TrainedModel]
}

/// Offline training: logs impressions of the spec's environment with a uniform-random policy, splits them into
/// training and validation examples, and fits every variant's model for up to `epochs` passes over shuffled
/// mini-batches, stopping when the validation log loss has not improved for `patience` epochs.
///
/// Seeded end to end ((seed, "training", ...) streams; replication 0's plugin streams) and bit-identical for
/// any `jobs`: variants train in parallel, each on one thread, and are reported in spec order.
public struct OfflineTrainer: Sendable {
  public var jobs: Int
  /// When set and requested (Ctrl-C), every model stops after its current epoch.
  public var stop: StopRequest?

  public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount) { self.jobs = max(1, jobs) }

  /// Trains every variant's model. With a `resume` store, each model's state is kept after every epoch, and a model
  /// with a kept state continues from it instead of starting over (same bits as an uninterrupted run).
  ///
  /// - Throws: `RunError` for a failed model, `RunInterrupted` when `stop` was requested before every model finished.
  public func run(_ spec: ExperimentSpec, resume: ResumeStore? = nil) async throws -> TrainingResult {
    let settings = spec.training ?? TrainingSettings()
    for variant in spec.variants where variant.model == nil {
      throw PluginError.invalidParameters(
        "variant '\(variant.name)' has no model to train; add e.g. 'model: { plugin: logistic }'")
    }
    let root = RandomStreams.replication(seed: spec.seed, 0)
    let environment = try spec.environment.make(
      PluginContext(
        key: RandomStreams.plugin(.environment, seed: spec.seed, replication: 0), replication: 0,
        horizon: settings.examples, batchSize: settings.batch, candidateCount: 0))
    if environment is any LoggedBanditSource { throw OffPolicyError.loggedCannotBeSimulated }
    let data = LoggedDataset.log(
      environment, count: settings.examples, chunk: 4096, key: root.child("training").child("logging"))
    let trainCount = max(1, min(data.count - 1, Int((Double(data.count) * (1 - settings.validation)).rounded())))
    let train = data.subset(Array(0..<trainCount))
    let validation = data.subset(Array(trainCount..<data.count))
    let hasConversions = environment.outcomeColumns.contains(.conversions)
    let clicked = (0..<validation.count).filter { validation.clicks[$0] > 0 }

    var result = TrainingResult(
      spec: spec, settings: settings, trainExamples: train.count, validationExamples: validation.count,
      validationCTR: validation.clicks.reduce(0, +) / Double(validation.count),
      validationCVR: hasConversions && !clicked.isEmpty
        ? clicked.reduce(0.0) { $0 + validation.conversions[$1] } / Double(clicked.count) : nil,
      bayes: nil, bayesConversion: nil, models: [])
    if environment.hasOracle {
      result.bayes = PredictionQuality(probabilities: validation.clickProbabilities, labels: validation.clicks)
      if hasConversions && !clicked.isEmpty {
        result.bayesConversion = PredictionQuality(
          probabilities: clicked.map { validation.conversionProbabilities[$0] },
          labels: clicked.map { validation.conversions[$0] })
      }
    }

    let context = PluginContext(
      key: RandomStreams.plugin(.model, seed: spec.seed, replication: 0), replication: 0, horizon: settings.examples,
      batchSize: settings.batch, candidateCount: 1, featureSchema: environment.featureSchema)
    let shuffleKey = root.child("training").child("shuffle")
    let variants = spec.variants
    let threadsPerModel = jobs > 1 ? 1 : TensorParallelism.current
    var trained = [TrainedModel?](repeating: nil, count: variants.count)
    let stop = self.stop
    try await withThrowingTaskGroup(of: (Int, TrainedModel?).self) { group in
      var next = 0
      func submit() {
        let index = next
        next += 1
        group.addTask {
          let variant = variants[index]
          guard let prepared = variant.model else { preconditionFailure("checked above") }
          do {
            let model = try TensorParallelism.$threads.withValue(threadsPerModel) {
              try Self.fit(
                prepared.make(context), name: variant.name, plugin: prepared.name, train: train, validation: validation,
                clicked: hasConversions ? clicked : nil, settings: settings, shuffleKey: shuffleKey,
                epochs: TrainingEpochs(store: resume, variant: index, stop: stop))
            }
            return (index, model)
          } catch let error as ResumeError {
            throw error
          } catch {
            throw RunError(variant: variant.name, replication: 0, underlying: error)
          }
        }
      }
      while next < min(jobs, variants.count) { submit() }
      while let (index, model) = try await group.next() {
        trained[index] = model
        if next < variants.count && stop?.isRequested != true { submit() }
      }
    }
    result.models = trained.compactMap { $0 }
    if result.models.count < variants.count {
      throw RunInterrupted(
        kept: result.models.count, total: variants.count, folder: resume?.folder,
        unit: "models (epochs of the others kept)")
    }
    return result
  }

  /// Trains one model with early stopping and scores its best epoch.
  static func fit(
    _ model: any InterestModel, name: String, plugin: String, train: LoggedDataset, validation: LoggedDataset,
    clicked: [Int]?, settings: TrainingSettings, shuffleKey: StreamKey, epochs: TrainingEpochs = TrainingEpochs()
  ) throws -> TrainedModel? {
    var order = Array(0..<train.count)
    var progress = TrainingProgress()
    if let kept = try epochs.restore(into: model) {
      progress = kept
      // The order is shuffled in place every epoch, so the kept epochs' shuffles are replayed.
      for epoch in stride(from: 1, through: kept.epoch, by: 1) {
        var stream = RandomStream(key: shuffleKey.child(epoch))
        stream.shuffle(&order)
      }
    }
    var history = progress.history
    var bestLoss = progress.bestEpoch > 0 ? history[progress.bestEpoch - 1] : Double.infinity
    var bestEpoch = progress.bestEpoch
    var best = progress.best
    var bestCheckpoint = progress.bestCheckpoint
    var finished = progress.finished
    for epoch in stride(from: progress.epoch + 1, through: settings.epochs, by: 1) where !finished {
      if epochs.stop?.isRequested == true { return nil }
      var stream = RandomStream(key: shuffleKey.child(epoch))
      stream.shuffle(&order)
      var start = 0
      while start < order.count {
        let part = train.subset(Array(order[start..<min(order.count, start + settings.batch)]))
        let actions = [Int32](repeating: 0, count: part.count)
        actions.withUnsafeBufferPointer { model.learn(part.batch, actions: $0, outcomes: part.outcomes) }
        start += settings.batch
      }
      let predictions = predict(model, validation)
      let loss = BinaryMetrics.logLoss(probabilities: predictions.click, labels: validation.clicks)
      history.append(loss)
      if loss < bestLoss {
        bestLoss = loss
        bestEpoch = epoch
        best = predictions
        bestCheckpoint = (model as? any CheckpointableModel)?.checkpoint()
      } else if epoch - bestEpoch >= settings.patience {
        finished = true
      }
      try epochs.keep(
        TrainingProgress(
          epoch: epoch, history: history, bestEpoch: bestEpoch, best: best, bestCheckpoint: bestCheckpoint,
          finished: finished), of: model)
    }
    var conversion: PredictionQuality?
    if let clicked, model.predictsConversions, !clicked.isEmpty {
      conversion = PredictionQuality(
        probabilities: clicked.map { best.conversion[$0] }, labels: clicked.map { validation.conversions[$0] })
    }
    return TrainedModel(
      variant: name, model: plugin, validationLogLoss: history, bestEpoch: bestEpoch,
      click: PredictionQuality(probabilities: best.click, labels: validation.clicks), conversion: conversion,
      checkpoint: bestCheckpoint)
  }

  /// The model's predictions for every example, 4096 at a time.
  static func predict(_ model: any InterestModel, _ data: LoggedDataset) -> Predictions {
    var all = Predictions(count: 0, conversions: model.predictsConversions)
    var start = 0
    while start < data.count {
      let part = data.batch.subset(Array(start..<min(data.count, start + 4096)))
      var predictions = Predictions(count: part.count, conversions: model.predictsConversions)
      model.predict(part, into: &predictions)
      all.click += predictions.click
      all.conversion += predictions.conversion
      start += 4096
    }
    return all
  }
}
