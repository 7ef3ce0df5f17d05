import AdLabCore
import AdLabTensor

/// Deep Q-learning (Mnih et al. 2015) with a double-DQN target (van Hasselt et al. 2016): the same page actions
/// (show 0 … M ads) and state features as `q-learning`, the state a dense vector (`StateEncoder.vector`) and Q an
/// MLP on the tensor core.
///
/// Each user's last (state, action, page reward) is remembered; when the user returns with state s′ the
/// transition goes into a replay ring. After every batch, `updates_per_batch` Adam steps are taken on minibatches
/// drawn uniformly from the ring (once it holds `warmup` transitions), each on the Huber loss of
/// ```
/// y = r + γ · Q_target(s′, argmax_a′ Q(s′, a′))
/// ```
/// with gradients clipped by global norm; the target network copies the online one every `target_sync` steps.
/// Huber's gradient is applied as the seed of the backward pass (clip(Q − y, ±δ) / batch at the taken action).
/// Actions are ε-greedy with a linear ε schedule; propensities as in `q-learning`.
public final class DQNPolicy: Policy {
  public struct Params: SequentialParameters {
    public var sequential = SequentialSettings()
    public var hidden = [32, 32]
    public var learningRate = 1e-3
    public var batchSize = 32
    public var replay = 20_000
    public var warmup = 256
    public var updatesPerBatch = 4
    public var targetSync = 100
    public var huberDelta = 1.0
    public var maxGradientNorm = 10.0
    public init() {}
    public static var fields: [ParameterField<Params>] {
      sequentialFields + [
        .init("hidden", \.hidden, doc: "widths of the ReLU hidden layers", .each(.range(1...4096))),
        .init("learning_rate", \.learningRate, doc: "Adam learning rate", .greaterThan(0)),
        .init("batch_size", \.batchSize, doc: "transitions per gradient step", .range(1...65_536)),
        .init("replay", \.replay, doc: "transitions the replay ring keeps", .range(1...10_000_000)),
        .init("warmup", \.warmup, doc: "transitions in the ring before learning starts", .atLeast(1)),
        .init(
          "updates_per_batch", \.updatesPerBatch, doc: "gradient steps after each decision batch", .range(0...10_000)),
        .init(
          "target_sync", \.targetSync, doc: "gradient steps between copies of the online network into the target",
          .atLeast(1)),
        .init(
          "huber_delta", \.huberDelta, doc: "Huber loss threshold δ: quadratic within, linear beyond", .greaterThan(0)),
        .init("max_gradient_norm", \.maxGradientNorm, doc: "global-norm gradient clipping", .greaterThan(0)),
      ]
    }
  }

  private let params: Params
  let encoder: StateEncoder
  private var ranker: AdRanker
  let actionCount: Int
  private(set) var online: QNetwork
  private var target: QNetwork
  private var optimizer: Adam<Float>
  private var replay: ReplayBuffer
  private var users = UserIndex()
  private var lastState: [Float] = []
  private var lastAction: [Int32] = []
  private var lastReward: [Double] = []
  private var batchStates: [Float] = []
  private var batchActions: [Int32] = []
  private var decisions = 0.0
  private(set) var steps = 0
  private var stream: RandomStream
  private var replayStream: RandomStream

  public init(_ params: Params, context: PluginContext) throws {
    self.params = params
    encoder = try StateEncoder(
      params.sequential.stateFeatures, schema: context.featureSchema, plugin: "dqn", binned: false)
    ranker = try AdRanker(
      objective: params.sequential.objective, valueFeature: params.sequential.valueFeature, context: context,
      plugin: "dqn")
    actionCount = params.maxAds(context) + 1
    online = QNetwork(
      sizes: [encoder.width] + params.hidden + [actionCount], key: context.key.child("dqn").child("init"))
    target = online
    optimizer = Adam(learningRate: .constant(params.learningRate))
    replay = ReplayBuffer(capacity: params.replay, width: encoder.width)
    stream = RandomStream(key: context.key.child("dqn"))
    replayStream = RandomStream(key: context.key.child("dqn").child("replay"))
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let n = batch.count, slots = batch.slotCount, width = encoder.width, a = actionCount
    let epsilon = params.schedule.value(after: decisions)
    ranker.prepare(batch)
    batchStates = [Float](repeating: 0, count: n * width)
    batchStates.withUnsafeMutableBufferPointer { states in
      for i in 0..<n {
        encoder.vector(
          batch, decision: i, into: UnsafeMutableBufferPointer(rebasing: states[(i * width)..<((i + 1) * width)]))
      }
    }
    let values = online.values(Tensor(shape: [n, width], scalars: batchStates)).map(Double.init)
    batchActions.removeAll(keepingCapacity: true)
    var stream = self.stream
    defer { self.stream = stream }
    values.withUnsafeBufferPointer { values in
      for i in 0..<n {
        let row = UnsafeBufferPointer(rebasing: values[(i * a)..<((i + 1) * a)])
        let (greedy, ties) = argmaxBreakingTies(row, stream: &stream)
        let action = stream.uniform() < epsilon ? stream.int(below: a) : greedy
        batchActions.append(Int32(action))
        ranker.fill(batch, decision: i, count: action, actions, propensities: propensities, stream: &stream)
        if let propensities {
          AdRanker.scalePropensities(
            propensities, actions, base: i * slots, slots: slots, values: row, best: row[greedy], ties: ties,
            epsilon: epsilon)
        }
      }
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    ranker.learn(batch, actions: actions, rewards: rewards)
    let width = encoder.width, slots = batch.slotCount
    for i in 0..<batch.count {
      let next = batchStates[(i * width)..<((i + 1) * width)]
      let (user, isNew) = users.index(of: batch.userIDs[i])
      if isNew {
        lastState.append(contentsOf: next)
        lastAction.append(0)
        lastReward.append(0)
      } else {
        replay.append(
          state: lastState[(user * width)..<((user + 1) * width)], action: Int(lastAction[user]),
          reward: lastReward[user], next: next)
        lastState.replaceSubrange((user * width)..<((user + 1) * width), with: next)
      }
      lastAction[user] = batchActions[i]
      lastReward[user] = Self.pageReward(rewards, decision: i, slots: slots)
    }
    decisions += Double(batch.count)
    guard replay.count >= params.warmup else { return }
    for _ in 0..<params.updatesPerBatch { trainStep() }
  }

  /// One Adam step on a replay minibatch (double-DQN target, Huber loss, clipped gradients).
  private func trainStep() {
    let b = params.batchSize, a = actionCount
    let indices = replay.sample(b, stream: &replayStream)
    let nextStates = replay.gather(indices, next: true)
    let nextOnline = online.values(nextStates), nextTarget = target.values(nextStates)
    var targets = [Float](repeating: 0, count: b)
    for r in 0..<b {
      var best = 0
      for action in 1..<a where nextOnline[r * a + action] > nextOnline[r * a + best] { best = action }
      targets[r] = replay.rewards[indices[r]] + Float(params.sequential.gamma) * nextTarget[r * a + best]
    }
    let tape = Tape<Float>()
    let variables = online.parameters.map { tape.variable($0) }
    do {
      let q = try online.forward(tape.constant(replay.gather(indices, next: false)), variables)
      let values = q.value.scalars
      var seed = [Float](repeating: 0, count: b * a)
      let delta = Float(params.huberDelta)
      for r in 0..<b {
        let taken = r * a + Int(replay.actions[indices[r]])
        seed[taken] = min(max(values[taken] - targets[r], -delta), delta) / Float(b)
      }
      let gradients = try tape.gradients(of: q, seed: Tensor(shape: [b, a], scalars: seed))
      var parameterGradients = variables.map { gradients.parameterGradient($0) }
      GradientClipping.clipByGlobalNorm(&parameterGradients, maxNorm: params.maxGradientNorm)
      optimizer.update(&online.parameters, gradients: parameterGradients)
    } catch {
      preconditionFailure("dqn: \(error)")  // shapes are fixed at construction
    }
    steps += 1
    if steps % params.targetSync == 0 { target = online }
  }

  /// The online network's Q-values for a state vector.
  func qValues(vector: [Float]) -> [Float] {
    online.values(Tensor(shape: [1, vector.count], scalars: vector))
  }

  /// The greedy action for a state vector (lowest index among ties).
  func greedyAction(vector: [Float]) -> Int {
    let values = qValues(vector: vector)
    var best = 0
    for a in 1..<actionCount where values[a] > values[best] { best = a }
    return best
  }
}
