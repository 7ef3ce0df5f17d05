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
      return "environment '\(name)' simulates a market; off-policy evaluation needs logs: use 'environment: { plugin: logged, ... }'"
    case let .noActionDistribution(variant, policy):
      return "variant '\(variant)': policy '\(policy)' cannot give action probabilities, so it cannot be evaluated off-policy; use e.g. random, bernoulli-ts or epsilon-greedy-ranking"
    case let .replayNeedsUniformLogs(segment, minimum, maximum):
      return "\(segment): replay needs uniformly random logs, but propensities range from \(minimum) to \(maximum); drop 'replay' from evaluation.estimators or use the random logs"
    case .loggedCannotBeSimulated:
      return "environment 'logged' replays logs and is evaluated off-policy by `adlab run`; sweeps and `adlab train` of logged environments are not supported (use `adlab run --set ...` per setting)"
    case let .rewardOutsideUnitInterval(segment, value):
      return "\(segment): reward \(value) is outside [0, 1]; the reward model predicts click probabilities, so DM-type estimators need 0/1 or [0, 1] rewards"
    }
  }
}

/// Evaluates every variant's policy on logged data with the spec's estimators (`evaluation:`), without running
/// them: the OPE mode of `adlab run` when the environment is a `LoggedBanditSource`.
///
/// Two parallel phases, each storing results by index so the outcome is bit-identical for any `jobs`:
/// (1) per (segment, fold), the cross-fitted reward model; (2) per (segment, variant), the policy's action
/// distribution, the estimators and their bootstrap. Streams: (seed, "evaluation", segment, ...).
public struct OffPolicyRunner: Sendable {
  public var jobs: Int

  public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount) { self.jobs = max(1, jobs) }

  /// Whether the spec's environment replays logs (then `adlab run` evaluates off-policy).
  /// Read from the environment's declared capabilities; nothing is built.
  public static func isLogged(_ spec: ExperimentSpec) -> Bool {
    spec.environment.capabilities.contains(.replaysLogs)
  }

  public func run(_ spec: ExperimentSpec) async throws -> OffPolicyResult {
    let environment = try spec.environment.make(Self.context(spec, kind: .environment, candidates: 0, schema: .empty, slots: 1))
    guard let source = environment as? any LoggedBanditSource else { throw OffPolicyError.notLogged(environment: spec.environment.name) }
    let segments = try source.loadLogs()
    let settings = spec.evaluation ?? EvaluationSettings(estimators: [.ipw, .snipw])
    let root = StreamKey(seed: spec.seed).child("evaluation")
    for logs in segments { try Self.check(logs, settings: settings) }

    // Phase 1: cross-fitted reward models, one task per (segment, fold).
    var rewardModels = [[Double]?](repeating: nil, count: segments.count)
    if let regression = settings.regression, settings.estimators.contains(where: \.needsModel) {
      let assignments = segments.map { logs in
        regression.foldAssignment(rounds: logs.count, key: root.child(logs.name))
      }
      let folds = regression.folds
      let perFold = try await Self.parallelMap(count: segments.count * folds, jobs: jobs) { index in
        let s = index / folds, f = index % folds
        return try regression.predictFold(f, folds: assignments[s], logs: segments[s], key: root.child(segments[s].name))
      }
      for (s, logs) in segments.enumerated() {
        rewardModels[s] = RewardRegression.assemble(
          Array(perFold[(s * folds)..<((s + 1) * folds)]), folds: assignments[s], rounds: logs.count, candidates: logs.candidateCount)
      }
    }

    // Phase 2: every variant on every segment.
    let variants = spec.variants
    let models = rewardModels
    let results = try await Self.parallelMap(count: segments.count * variants.count, jobs: jobs) { index in
      let s = index / variants.count, v = index % variants.count
      return try Self.evaluate(spec: spec, variant: variants[v], logs: segments[s], rewardModel: models[s], settings: settings,
                               key: root.child(segments[s].name).child("variant").child(variants[v].name))
    }
    let segmentResults = segments.enumerated().map { s, logs in
      OffPolicyResult.SegmentResult(
        name: logs.name, rounds: logs.count, candidates: logs.candidateCount, slots: logs.slotCount, loggedValue: logs.meanReward,
        metadata: logs.metadata,
        sourceHashes: results[(s * variants.count)..<((s + 1) * variants.count)].reduce(into: logs.sourceHashes) { $0.merge($1.truthSourceHashes) { a, _ in a } },
        variants: Array(results[(s * variants.count)..<((s + 1) * variants.count)]))
    }
    return OffPolicyResult(spec: spec, settings: settings, segments: segmentResults)
  }

  /// One variant's policy on one segment: its action distribution, the estimators and the truth.
  static func evaluate(
    spec: ExperimentSpec, variant: ExperimentSpec.Variant, logs: LoggedBandit, rewardModel: [Double]?,
    settings: EvaluationSettings, key: StreamKey
  ) throws -> OffPolicyResult.VariantResult {
    let made = try variant.policy.make(context(spec, candidates: logs.candidateCount, schema: logs.batch.schema, slots: logs.slotCount))
    guard let policy = made as? any ActionDistributionPolicy else {
      throw OffPolicyError.noActionDistribution(variant: variant.name, policy: variant.policy.name)
    }
    var distribution = [Double](repeating: 0, count: logs.count * logs.slotCount * logs.candidateCount)
    try distribution.withUnsafeMutableBufferPointer { try policy.actionDistribution(logs.batch, source: logs.metadata, into: $0) }
    let replay = settings.estimators.contains(.replay) ? RandomStream(key: key.child("replay")) : nil
    let inputs = OffPolicyInputs.make(logs: logs, distribution: distribution, rewardModel: rewardModel, tau: settings.tau, replay: replay)
    let estimates = inputs.estimate(settings.estimators, bootstrap: settings.bootstrap, alpha: spec.alpha, bootstrapKey: key.child("bootstrap"))
    var truth = OffPolicyInputs.trueValue(logs: logs, distribution: distribution)
    var truthSource: String? = truth == nil ? nil : "exact (expected rewards in the logs)"
    var truthFiles: [String: String] = [:]
    if truth == nil, let behavior = policy.reproducesBehavior, let own = try logs.onPolicyValue(behavior) {
      truth = own.value
      truthFiles = own.sourceHashes
      truthSource = "on-policy value of '\(behavior)' in its own logs"
    }
    return .init(variant: variant.name, policy: variant.policy.name, truth: truth, truthSource: truthSource, estimates: estimates,
                 truthSourceHashes: truthFiles)
  }

  /// Rejects logs an estimator cannot use, before any work.
  static func check(_ logs: LoggedBandit, settings: EvaluationSettings) throws {
    if settings.estimators.contains(.replay), let low = logs.propensities.min(), let high = logs.propensities.max(),
       high - low > 1e-9 * high {
      throw OffPolicyError.replayNeedsUniformLogs(segment: logs.name, minimum: low, maximum: high)
    }
    if settings.estimators.contains(where: \.needsModel), let bad = logs.rewards.first(where: { !(0...1).contains($0) }) {
      throw OffPolicyError.rewardOutsideUnitInterval(segment: logs.name, value: bad)
    }
  }

  static func context(_ spec: ExperimentSpec, kind: PluginKind = .policy, candidates: Int, schema: FeatureSchema, slots: Int) -> PluginContext {
    PluginContext(
      key: RandomStreams.plugin(kind, seed: spec.seed, replication: 0), replication: 0, horizon: spec.horizon,
      batchSize: spec.batchSize, candidateCount: candidates, featureSchema: schema, slotCount: slots)
  }

  /// `body(i)` for i in 0..<count on up to `jobs` tasks, returned in index order.
  static func parallelMap<T: Sendable>(count: Int, jobs: Int, _ body: @escaping @Sendable (Int) throws -> T) async throws -> [T] {
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
