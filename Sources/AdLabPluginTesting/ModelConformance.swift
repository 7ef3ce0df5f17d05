public import AdLabCore
import AdLabTensor

/// The contract every interest model keeps (see `InterestModel`), checked on `SeparableToyEnvironment`:
/// - it is what its registry entry declares (predicts_conversions, which spec-time objective checks trust);
/// - predictions are probabilities (finite, in [0, 1]), pCVR filled when the model says it predicts conversions;
/// - identical results for any thread count: one instance run on 1 thread and one on 3 predict bit for bit the same
///   after learning the same batches;
/// - a checkpoint round trip (through the encoded bytes) gives a fresh instance identical predictions
///   (models that are `CheckpointableModel`; others cannot be saved, so there is nothing to check);
/// - it learns a separable toy: after training, every always-clicked ad is predicted above every never-clicked one,
///   by at least `margin` on average.
public enum ModelConformance {
  /// How far apart the mean pCTR of the clicked and the never-clicked ads must be after training.
  public static let margin = 0.5

  /// Runs every check on model `name` with `params` (a YAML mapping, nil for its defaults), trained on `batches`
  /// batches of `batch` decisions; an empty result means it conforms.
  public static func check(
    _ name: String, params: String? = nil, registry: PluginRegistry, batches: Int = 40, batch: Int = 100
  ) -> [ConformanceFailure] {
    switch ConformanceWorld.forModel(
      name, params: params, registry: registry, horizon: (batches + 2) * batch, batch: batch)
    {
    case .failure(let failure): return [failure]
    case .success(let world):
      let log = ConformanceLog(plugin: name)
      do {
        try run(world: world, batches: batches, log: log)
      } catch {
        log.fail("make", "\(error)")
      }
      return log.failures
    }
  }

  static func run(world: ConformanceWorld, batches: Int, log: ConformanceLog) throws {
    let spec = world.spec
    guard let prepared = spec.variants[0].model else { return log.fail("world", "the variant has no model") }
    let environment = try spec.environment.make(world.context(.environment, environment: nil))
    let context = world.context(.model, environment: environment)
    let single = try prepared.make(context), multi = try prepared.make(context)
    if prepared.capabilities.contains(.predictsConversions) != single.predictsConversions {
      log.fail(
        "declared capabilities",
        "the registry entry \(prepared.capabilities.contains(.predictsConversions) ? "declares" : "does not declare") predicts_conversions, the instance's predictsConversions is \(single.predictsConversions)"
      )
    }
    let k = environment.candidateCount
    var outcomes = OutcomeBatch(count: 0), step = 0

    func predict(_ model: any InterestModel, _ batch: DecisionBatch, threads: Int) -> Predictions {
      var predictions = Predictions(count: batch.count * k, conversions: model.predictsConversions)
      TensorParallelism.$threads.withValue(threads) { model.predict(batch, into: &predictions) }
      return predictions
    }

    for _ in 0..<batches {
      let batch = environment.nextBatch(firstStep: step, count: spec.batchSize)
      step += spec.batchSize
      let one = predict(single, batch, threads: 1), three = predict(multi, batch, threads: 3)
      if let problem = probabilityProblem(one, model: single, count: batch.count * k) {
        log.fail("predictions are probabilities", "step \(step): \(problem)")
      }
      if !sameBits(one, three) {
        log.fail("identical for any thread count", "1 and 3 threads predicted differently by step \(step)")
      }
      // Every ad in turn, so both halves of the toy are seen equally often.
      let shown = batch.steps.map { Int32($0 % k) }
      outcomes.prepare(count: shown.count)
      shown.withUnsafeBufferPointer { environment.resolve(batch, actions: $0, into: &outcomes) }
      shown.withUnsafeBufferPointer { actions in
        TensorParallelism.$threads.withValue(1) { single.learn(batch, actions: actions, outcomes: outcomes) }
        TensorParallelism.$threads.withValue(3) { multi.learn(batch, actions: actions, outcomes: outcomes) }
      }
    }

    let heldOut = environment.nextBatch(firstStep: step, count: spec.batchSize)
    let trained = predict(single, heldOut, threads: 1)
    if !sameBits(trained, predict(multi, heldOut, threads: 3)) {
      log.fail("identical for any thread count", "1 and 3 threads predicted differently after training")
    }
    if let saved = single as? any CheckpointableModel {
      guard let restored = try prepared.make(context) as? any CheckpointableModel else {
        return log.fail("checkpoint round trip", "a second instance is not checkpointable")
      }
      try restored.restore(from: try Checkpoint(decoding: saved.checkpoint().encoded()))
      if !sameBits(trained, predict(restored, heldOut, threads: 1)) {
        log.fail(
          "checkpoint round trip", "a fresh instance restored from the trained one's checkpoint predicts differently")
      }
    }
    checkLearned(trained, heldOut, candidates: k, log: log)
  }

  /// Every clicked ad above every never-clicked one, and the means `margin` apart.
  static func checkLearned(_ predictions: Predictions, _ batch: DecisionBatch, candidates k: Int, log: ConformanceLog) {
    var lowestClicked = Double.infinity, highestUnclicked = -Double.infinity
    var clickedSum = 0.0, unclickedSum = 0.0, clickedCount = 0.0, unclickedCount = 0.0
    for (index, p) in predictions.click.enumerated() {
      if SeparableToyEnvironment.clicks(ad: batch.adID(decision: index / k, candidate: index % k)) {
        lowestClicked = min(lowestClicked, p)
        clickedSum += p
        clickedCount += 1
      } else {
        highestUnclicked = max(highestUnclicked, p)
        unclickedSum += p
        unclickedCount += 1
      }
    }
    let gap = clickedSum / max(clickedCount, 1) - unclickedSum / max(unclickedCount, 1)
    if !(lowestClicked > highestUnclicked) || !(gap >= margin) {
      log.fail(
        "learns a separable toy",
        "after training, clicked ads score ≥ \(lowestClicked) and never-clicked ones ≤ \(highestUnclicked) (mean gap \(gap); needs no overlap and a gap of at least \(margin))"
      )
    }
  }

  static func probabilityProblem(_ predictions: Predictions, model: any InterestModel, count: Int) -> String? {
    if predictions.click.count != count { return "\(predictions.click.count) pCTRs for \(count) candidates" }
    if let bad = predictions.click.first(where: { !($0 >= 0 && $0 <= 1) }) { return "pCTR \(bad) is not in [0, 1]" }
    guard model.predictsConversions else { return nil }
    if predictions.conversion.count != count { return "\(predictions.conversion.count) pCVRs for \(count) candidates" }
    if let bad = predictions.conversion.first(where: { !($0 >= 0 && $0 <= 1) }) {
      return "pCVR \(bad) is not in [0, 1]"
    }
    return nil
  }

  static func sameBits(_ a: Predictions, _ b: Predictions) -> Bool {
    a.click.map(\.bitPattern) == b.click.map(\.bitPattern)
      && a.conversion.map(\.bitPattern) == b.conversion.map(\.bitPattern)
  }
}
