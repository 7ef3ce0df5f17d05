public import AdLabTensor

/// Fits the reward model q̂(x, a, s) of DM-type estimators with K-fold cross-fitting: rounds are split into K
/// folds by a seeded permutation; for each fold a fresh interest model is trained on the other K − 1 folds
/// (`epochs` passes over seeded shuffled mini-batches of the logged (context, action, reward)) and predicts every
/// candidate of the held-out rounds. Each round's q̂ therefore comes from a model that never saw it, which
/// keeps DR's correction term unbiased given q̂ (Chernozhukov et al. 2018).
///
/// The reward must be a probability-like value in [0, 1] (a click), as interest models predict click probabilities.
public struct RewardRegression: Sendable {
  public var model: PreparedPlugin<any InterestModel>
  public var folds: Int
  public var epochs: Int
  public var batchSize: Int

  public init(model: PreparedPlugin<any InterestModel>, folds: Int, epochs: Int, batchSize: Int) {
    self.model = model
    self.folds = folds
    self.epochs = epochs
    self.batchSize = batchSize
  }

  /// The folds of `n` rounds: fold f holds the positions j of a seeded permutation with j mod K = f, sorted.
  public func foldAssignment(rounds n: Int, key: StreamKey) -> [[Int]] {
    var order = Array(0..<n)
    var stream = RandomStream(key: key.child("folds"))
    stream.shuffle(&order)
    var out = [[Int]](repeating: [], count: folds)
    for (j, i) in order.enumerated() { out[j % folds].append(i) }
    return out.map { $0.sorted() }
  }

  /// q̂ for the held-out rounds of fold `fold` (their positions in `folds[fold]`), candidates-major per round.
  /// Independent per fold, so folds may run on different threads.
  public func predictFold(_ fold: Int, folds assignment: [[Int]], logs: LoggedBandit, key: StreamKey) throws -> [Double] {
    let k = logs.candidateCount
    let training = assignment.enumerated().filter { $0.offset != fold || folds == 1 }.flatMap(\.element).sorted()
    let foldKey = key.child("fold").child(fold)
    let instance = try model.make(
      PluginContext(key: foldKey.child("model"), replication: 0, horizon: training.count, batchSize: batchSize,
                    candidateCount: k, featureSchema: logs.batch.schema, slotCount: 1, adCount: k))
    var stream = RandomStream(key: foldKey.child("shuffle"))
    var order = training
    for _ in 0..<epochs {
      stream.shuffle(&order)
      var start = 0
      while start < order.count {
        let chunk = Array(order[start..<min(start + batchSize, order.count)])
        start += chunk.count
        var batch = logs.batch.subset(chunk)
        batch.slotCount = 1
        let actions = chunk.map { logs.actions[$0] }
        var outcomes = OutcomeBatch(count: chunk.count)
        outcomes.impressions = [Double](repeating: 1, count: chunk.count)
        outcomes.clicks = chunk.map { logs.rewards[$0] }
        actions.withUnsafeBufferPointer { instance.learn(batch, actions: $0, outcomes: outcomes) }
      }
    }
    var held = logs.batch.subset(assignment[fold])
    held.slotCount = 1
    var predictions = Predictions(count: held.count * k, conversions: instance.predictsConversions)
    instance.predict(held, into: &predictions)
    return predictions.click
  }

  /// Assembles per-fold predictions into rounds × candidates in round order.
  public static func assemble(_ perFold: [[Double]], folds assignment: [[Int]], rounds n: Int, candidates k: Int) -> [Double] {
    var q = [Double](repeating: 0, count: n * k)
    for (fold, positions) in assignment.enumerated() {
      for (j, i) in positions.enumerated() {
        for c in 0..<k { q[i * k + c] = perFold[fold][j * k + c] }
      }
    }
    return q
  }
}
