import AdLabTensor
import Foundation

/// Problems that stop an off-policy evaluation, each saying what to change.
public enum OffPolicyError: Error, CustomStringConvertible, Equatable {
  case notLogged(environment: String)
  case noActionDistribution(variant: String, policy: String)
  case replayNeedsUniformLogs(segment: String, minimum: Double, maximum: Double)
  case rewardOutsideUnitInterval(segment: String, value: Double)
  /// A logged environment reached a command that simulates (a sweep, offline training).
  case loggedCannotBeSimulated

  public var description: String {
    switch self {
    case .notLogged(let name):
      return
        "environment '\(name)' simulates a market; off-policy evaluation needs logs: use 'environment: { plugin: logged, ... }'"
    case .noActionDistribution(let variant, let policy):
      return
        "variant '\(variant)': policy '\(policy)' cannot give action probabilities, so it cannot be evaluated off-policy; use e.g. random, bernoulli-ts or epsilon-greedy-ranking"
    case .replayNeedsUniformLogs(let segment, let minimum, let maximum):
      return
        "\(segment): replay needs uniformly random logs, but propensities range from \(minimum) to \(maximum); drop 'replay' from evaluation.estimators or use the random logs"
    case .loggedCannotBeSimulated:
      return
        "environment 'logged' replays logs and is evaluated off-policy by `adlab run` and `adlab sweep`; `adlab train` of a logged environment is not supported"
    case .rewardOutsideUnitInterval(let segment, let value):
      return
        "\(segment): reward \(value) is outside [0, 1]; the reward model predicts click probabilities, so DM-type estimators need 0/1 or [0, 1] rewards"
    }
  }
}

/// Evaluates every variant's policy on logged data with the spec's estimators (`evaluation:`), without running
/// them: the OPE mode of `adlab run` when the environment is a `LoggedBanditSource`.
///
/// Everything streams over each segment's chunks of rounds, so memory does not grow with the number of rounds:
/// (0) one pass checks the logs; (1) per (segment, fold), the fold's reward model trains on the other folds'
/// rounds in mini-batches, chunk by chunk; (2) per segment, one pass computes the fold models' q̂, every variant's
/// action distribution and feeds each variant's `EstimatorAccumulator` (estimates, SEs and the Poisson bootstrap).
/// Tasks store results by index and every sum runs in round order, so the outcome is bit-identical for any `jobs`.
/// Streams: (seed, "evaluation", segment, ...).
public struct OffPolicyRunner: Sendable {
  public var jobs: Int
  /// Logs already loaded by earlier runs (the cells of a sweep), shared instead of read again; nil loads every time.
  public var memo: LoggedSegmentMemo?

  public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, memo: LoggedSegmentMemo? = nil) {
    self.jobs = max(1, jobs)
    self.memo = memo
  }

  /// Whether the spec's environment replays logs (then `adlab run` evaluates off-policy).
  /// Read from the environment's declared capabilities; nothing is built.
  public static func isLogged(_ spec: ExperimentSpec) -> Bool {
    spec.environment.capabilities.contains(.replaysLogs)
  }

  public func run(_ spec: ExperimentSpec) async throws -> OffPolicyResult {
    let environment = try spec.environment.make(
      Self.context(spec, kind: .environment, candidates: 0, schema: .empty, slots: 1))
    guard let source = environment as? any LoggedBanditSource else {
      throw OffPolicyError.notLogged(environment: spec.environment.name)
    }
    let segments = try memo.map { try $0.segments(for: spec) { try source.loadLogs() } } ?? source.loadLogs()
    let settings = spec.evaluation ?? EvaluationSettings(estimators: [.ipw, .snipw])
    let root = StreamKey(seed: spec.seed).child("evaluation")
    let loggedValues = try await Self.parallelMap(count: segments.count, jobs: jobs) { s in
      try Self.check(segments[s], settings: settings)
    }

    // Phase 1: cross-fitted reward models, one task per (segment, fold).
    var rewardModels = [[FittedRewardModel]?](repeating: nil, count: segments.count)
    if let regression = settings.regression, settings.estimators.contains(where: \.needsModel) {
      let folds = regression.folds
      let perFold = try await Self.parallelMap(count: segments.count * folds, jobs: jobs) { index in
        let s = index / folds
        return try regression.trainFold(index % folds, segment: segments[s], key: root.child(segments[s].name))
      }
      for s in segments.indices { rewardModels[s] = Array(perFold[(s * folds)..<((s + 1) * folds)]) }
    }

    // Phase 2: every variant on every segment, one streaming pass per segment.
    let models = rewardModels
    let results = try await Self.parallelMap(count: segments.count, jobs: jobs) { s in
      try Self.evaluate(
        spec: spec, segment: segments[s], rewardModels: models[s], settings: settings, key: root.child(segments[s].name)
      )
    }
    let segmentResults = segments.enumerated().map { s, segment in
      OffPolicyResult.SegmentResult(
        name: segment.name, rounds: segment.count, candidates: segment.candidateCount, slots: segment.slotCount,
        loggedValue: loggedValues[s], metadata: segment.metadata,
        sourceHashes: results[s].reduce(into: segment.sourceHashes) { $0.merge($1.truthSourceHashes) { a, _ in a } },
        variants: results[s])
    }
    return OffPolicyResult(spec: spec, settings: settings, segments: segmentResults)
  }

  /// Every variant's policy on one segment: one pass over its chunks computing q̂ (when there are reward models),
  /// each policy's action distribution, the estimators with their bootstrap, and the truth when the logs have it.
  static func evaluate(
    spec: ExperimentSpec, segment: LoggedSegment, rewardModels: [FittedRewardModel]?, settings: EvaluationSettings,
    key: StreamKey
  ) throws -> [OffPolicyResult.VariantResult] {
    let variants = spec.variants
    let context = context(spec, candidates: segment.candidateCount, schema: segment.schema, slots: segment.slotCount)
    var policies: [any ActionDistributionPolicy] = []
    for variant in variants {
      guard let policy = try variant.policy.make(context) as? any ActionDistributionPolicy else {
        throw OffPolicyError.noActionDistribution(variant: variant.name, policy: variant.policy.name)
      }
      policies.append(policy)
    }
    let variantKeys = variants.map { key.child("variant").child($0.name) }
    var accumulators = variantKeys.map {
      EstimatorAccumulator(resamples: settings.bootstrap, bootstrapKey: $0.child("bootstrap"))
    }
    var replays: [RandomStream?] = variantKeys.map {
      settings.estimators.contains(.replay) ? RandomStream(key: $0.child("replay")) : nil
    }
    var truthTotals = [Double](repeating: 0, count: variants.count)
    let foldSeed = RewardRegression.foldSeed(key: key)
    for c in 0..<segment.chunkCount {
      let logs = segment.chunk(c), first = segment.firstRound(ofChunk: c)
      let q = rewardModels.map { RewardRegression.predict($0, logs: logs, firstRound: first, foldSeed: foldSeed) }
      var distribution = [Double](repeating: 0, count: logs.count * logs.slotCount * logs.candidateCount)
      for v in variants.indices {
        try distribution.withUnsafeMutableBufferPointer {
          try policies[v].actionDistribution(logs.batch, source: logs.metadata, into: $0)
        }
        let inputs = OffPolicyInputs.make(
          logs: logs, distribution: distribution, rewardModel: q, tau: settings.tau, replay: &replays[v])
        accumulators[v].add(inputs, firstRound: first)
        truthTotals[v] += OffPolicyInputs.trueTotal(logs: logs, distribution: distribution) ?? 0
      }
      segment.release(chunk: c)
    }
    return try variants.indices.map { v in
      var truth = segment.hasExpectedRewards ? truthTotals[v] / Double(max(1, segment.count)) : nil
      var truthSource: String? = truth == nil ? nil : "exact (expected rewards in the logs)"
      var truthFiles: [String: String] = [:]
      if truth == nil, let behavior = policies[v].reproducesBehavior, let own = try segment.onPolicyValue(behavior) {
        truth = own.value
        truthFiles = own.sourceHashes
        truthSource = "on-policy value of '\(behavior)' in its own logs"
      }
      return .init(
        variant: variants[v].name, policy: variants[v].policy.name, truth: truth, truthSource: truthSource,
        estimates: accumulators[v].estimates(settings.estimators, alpha: spec.alpha), truthSourceHashes: truthFiles)
    }
  }

  /// Rejects logs an estimator cannot use, before any work, in one pass; returns the mean logged reward.
  static func check(_ segment: LoggedSegment, settings: EvaluationSettings) throws -> Double {
    var low = Double.infinity, high = -Double.infinity, total = 0.0, badReward: Double?
    let needsModel = settings.estimators.contains(where: \.needsModel)
    for c in 0..<segment.chunkCount {
      let columns = segment.rounds.group(c)
      for p in columns.propensities {
        low = min(low, p)
        high = max(high, p)
      }
      for r in columns.rewards {
        total += r
        if needsModel && badReward == nil && !(0...1).contains(r) { badReward = r }
      }
      segment.release(chunk: c)
    }
    if settings.estimators.contains(.replay), segment.count > 0, high - low > 1e-9 * high {
      throw OffPolicyError.replayNeedsUniformLogs(segment: segment.name, minimum: low, maximum: high)
    }
    if let badReward { throw OffPolicyError.rewardOutsideUnitInterval(segment: segment.name, value: badReward) }
    return segment.count > 0 ? total / Double(segment.count) : 0
  }

  static func context(
    _ spec: ExperimentSpec, kind: PluginKind = .policy, candidates: Int, schema: FeatureSchema, slots: Int
  ) -> PluginContext {
    PluginContext(
      key: RandomStreams.plugin(kind, seed: spec.seed, replication: 0), replication: 0, horizon: spec.horizon,
      batchSize: spec.batchSize, candidateCount: candidates, featureSchema: schema, slotCount: slots)
  }

  /// `body(i)` for i in 0..<count on up to `jobs` tasks, returned in index order.
  static func parallelMap<T: Sendable>(count: Int, jobs: Int, _ body: @escaping @Sendable (Int) throws -> T)
    async throws -> [T]
  {
    var results = [T?](repeating: nil, count: count)
    try await withThrowingTaskGroup(of: (Int, T).self) { group in
      var next = 0
      func submit() {
        let index = next
        next += 1
        group.addTask { (index, try TensorParallelism.$threads.withValue(1) { try body(index) }) }
      }
      while next < min(jobs, count) { submit() }
      while let (index, value) = try await group.next() {
        results[index] = value
        if next < count { submit() }
      }
    }
    let done = results.compactMap { $0 }
    precondition(done.count == count, "every task reports exactly once")
    return done
  }
}
