public import AdLabTensor

/// Fits the reward model q̂(x, a, s) of DM-type estimators with K-fold cross-fitting, streaming: round i belongs to
/// fold `SeededHash.bucket(i, seed, K)` (a seeded hash of its index, so no permutation of n rounds is kept); for
/// each fold a fresh interest model trains on the other folds' rounds (`epochs` passes; each pass walks the chunks
/// in order and feeds each chunk's training rounds in seeded shuffled mini-batches of the logged (context, action,
/// reward)) and predicts every candidate of its own fold's rounds. Each round's q̂ therefore comes from a model that
/// never saw it, which keeps DR's correction term unbiased given q̂ (Chernozhukov et al. 2018); memory holds the K
/// models and one chunk, whatever the number of rounds.
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

  /// The seed of the fold hash for a segment's key.
  public static func foldSeed(key: StreamKey) -> UInt64 { key.child("folds").rawValue }

  /// The fold of round `round`.
  @inline(__always) static func fold(of round: Int, seed: UInt64, folds: Int) -> Int {
    SeededHash.bucket(UInt64(round), seed: seed, count: folds)
  }

  /// Trains fold `fold`'s model on the other folds' rounds of `segment`, streaming its chunks. Independent per
  /// fold, so folds may train on different threads.
  public func trainFold(_ fold: Int, segment: LoggedSegment, key: StreamKey) throws -> FittedRewardModel {
    let k = segment.candidateCount, seed = Self.foldSeed(key: key), folds = folds
    var training = 0
    for i in 0..<segment.count where Self.fold(of: i, seed: seed, folds: folds) != fold { training += 1 }
    let foldKey = key.child("fold").child(fold)
    let instance = try model.make(
      PluginContext(
        key: foldKey.child("model"), replication: 0, horizon: training, batchSize: batchSize,
        candidateCount: k, featureSchema: segment.schema, slotCount: 1, adCount: k))
    var stream = RandomStream(key: foldKey.child("shuffle"))
    for _ in 0..<epochs {
      for c in 0..<segment.chunkCount {
        let logs = segment.chunk(c), first = segment.firstRound(ofChunk: c)
        var order = (0..<logs.count).filter { Self.fold(of: first + $0, seed: seed, folds: folds) != fold }
        stream.shuffle(&order)
        var start = 0
        while start < order.count {
          let positions = Array(order[start..<min(start + batchSize, order.count)])
          start += positions.count
          var batch = logs.batch.subset(positions)
          batch.slotCount = 1
          let actions = positions.map { logs.actions[$0] }
          var outcomes = OutcomeBatch(count: positions.count)
          outcomes.impressions = [Double](repeating: 1, count: positions.count)
          outcomes.clicks = positions.map { logs.rewards[$0] }
          actions.withUnsafeBufferPointer { instance.learn(batch, actions: $0, outcomes: outcomes) }
        }
        segment.release(chunk: c)
      }
    }
    return FittedRewardModel(instance: instance)
  }

  /// q̂ for every candidate of every round of a chunk (rounds × candidates), each round predicted by its fold's model.
  public static func predict(_ models: [FittedRewardModel], logs: LoggedBandit, firstRound: Int, foldSeed: UInt64)
    -> [Double]
  {
    let k = logs.candidateCount
    var q = [Double](repeating: 0, count: logs.count * k)
    for (f, model) in models.enumerated() {
      let positions = (0..<logs.count).filter {
        Self.fold(of: firstRound + $0, seed: foldSeed, folds: models.count) == f
      }
      guard !positions.isEmpty else { continue }
      var held = logs.batch.subset(positions)
      held.slotCount = 1
      var predictions = Predictions(count: held.count * k, conversions: model.instance.predictsConversions)
      model.instance.predict(held, into: &predictions)
      for (j, i) in positions.enumerated() {
        for c in 0..<k { q[i * k + c] = predictions.click[j * k + c] }
      }
    }
    return q
  }
}

/// A fold's trained reward model, handed from the task that trained it to the one that predicts with it (never
/// used by two tasks at once).
public struct FittedRewardModel: @unchecked Sendable {
  let instance: any InterestModel
}
