import AdLabCore
import AdLabTensor

/// Tabular Q-learning over a discretised user state: decides per visit how many ads to show (0 … M), the ads
/// themselves coming from the within-page ranking (`AdRanker`).
///
/// The state is the mixed-radix bin of the declared `state_features` (`StateEncoder`). Each user's last
/// (state, action, page reward) is remembered; when the same user comes back with state s′,
/// ```
/// Q(s, a) += α · (r + γ · max_a′ Q(s′, a′) − Q(s, a))
/// ```
/// so γ discounts per visit, and a page that tires the user is charged with the lower value of the next visit.
/// A longer absence (a user kept away by ad load) is not discounted more: the learner sees fatigue through the
/// state, not the time between visits.
/// Feedback is batched: a user's return is learned from when the batch holding it is updated. Actions are
/// ε-greedy with a linear ε schedule; ties among the best actions are broken uniformly at random.
/// Propensities are position-wise: P(page action m > s) times the ranking's probability of the ad in slot s
/// (1 / ties), and P(m ≤ s) for an empty slot s (`AdRanker.scalePropensities`).
public final class QLearningPolicy: Policy {
  public struct Params: SequentialParameters {
    public var sequential = SequentialSettings()
    public var alpha = 0.1
    public var initialQ = 0.0
    public init() {}
    public static var fields: [ParameterField<Params>] {
      sequentialFields + [
        .init("alpha", \.alpha, doc: "learning rate α of the TD update", .openClosed(0, 1)),
        .init("initial_q", \.initialQ, doc: "starting value of every Q(s, a); above the rewards is optimistic"),
      ]
    }
  }

  private let params: Params
  let encoder: StateEncoder
  private var ranker: AdRanker
  /// Actions 0 … M: show that many ads.
  let actionCount: Int
  /// Q(s, a) at `s * actionCount + a`.
  private(set) var q: [Double]
  private var users = UserIndex()
  private var lastState: [Int32] = []
  private var lastAction: [Int32] = []
  private var lastReward: [Double] = []
  private var batchStates: [Int32] = []
  private var batchActions: [Int32] = []
  private var decisions = 0.0
  private var stream: RandomStream

  public init(_ params: Params, context: PluginContext) throws {
    self.params = params
    encoder = try StateEncoder(
      params.sequential.stateFeatures, schema: context.featureSchema, plugin: "q-learning", binned: true)
    ranker = try AdRanker(
      objective: params.sequential.objective, valueFeature: params.sequential.valueFeature, context: context,
      plugin: "q-learning")
    actionCount = params.maxAds(context) + 1
    q = [Double](repeating: params.initialQ, count: encoder.stateCount * actionCount)
    stream = RandomStream(key: context.key.child("q-learning"))
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let n = batch.count, slots = batch.slotCount, width = actionCount
    let epsilon = params.schedule.value(after: decisions)
    ranker.prepare(batch)
    batchStates.removeAll(keepingCapacity: true)
    batchActions.removeAll(keepingCapacity: true)
    var stream = self.stream
    defer { self.stream = stream }
    for i in 0..<n {
      let s = encoder.state(batch, decision: i)
      let (greedy, ties) = q.withUnsafeBufferPointer {
        argmaxBreakingTies(UnsafeBufferPointer(rebasing: $0[(s * width)..<((s + 1) * width)]), stream: &stream)
      }
      let a = stream.uniform() < epsilon ? stream.int(below: width) : greedy
      batchStates.append(Int32(s))
      batchActions.append(Int32(a))
      ranker.fill(batch, decision: i, count: a, actions, propensities: propensities, stream: &stream)
      if let propensities {
        q.withUnsafeBufferPointer {
          AdRanker.scalePropensities(
            propensities, actions, base: i * slots, slots: slots,
            values: UnsafeBufferPointer(rebasing: $0[(s * width)..<((s + 1) * width)]),
            best: $0[s * width + greedy], ties: ties, epsilon: epsilon)
        }
      }
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    ranker.learn(batch, actions: actions, rewards: rewards)
    let width = actionCount, slots = batch.slotCount
    for i in 0..<batch.count {
      let next = Int(batchStates[i])
      let (user, isNew) = users.index(of: batch.userIDs[i])
      if isNew {
        lastState.append(0)
        lastAction.append(0)
        lastReward.append(0)
      } else {
        let entry = Int(lastState[user]) * width + Int(lastAction[user])
        var best = q[next * width]
        for a in 1..<width { best = max(best, q[next * width + a]) }
        q[entry] += params.alpha * (lastReward[user] + params.sequential.gamma * best - q[entry])
      }
      lastState[user] = Int32(next)
      lastAction[user] = batchActions[i]
      lastReward[user] = Self.pageReward(rewards, decision: i, slots: slots)
    }
    decisions += Double(batch.count)
  }

  /// The greedy action of discrete state `s` (lowest index among ties): what the policy has learned.
  func greedyAction(state s: Int) -> Int {
    var best = 0
    for a in 1..<actionCount where q[s * actionCount + a] > q[s * actionCount + best] { best = a }
    return best
  }
}
