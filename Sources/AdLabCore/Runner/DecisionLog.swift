/// The decision log of a simulated job (`log: decisions`): one CSV row per filled slot (an ad the policy chose;
/// `click` and `reward` are 0 when it then lost its auction or budget), in AdLab's generic
/// logged-bandit schema (see `LoggedBanditCSV`), so the `logged` environment with `dataset: bundle` can replay a
/// run's traffic and evaluate other policies on it, with exact truth from the oracle's expected rewards.
///
/// Columns: variant, replication, step, user, slot, action, candidate_id, propensity, reward, click,
/// context_<j> (decision dense features), category_<name> (decision categorical ids), expected_reward_<k>
/// (every candidate's expected reward in that slot, when the environment has an oracle).
struct DecisionLog: Sendable {
  /// The header line (see `header(schema:candidates:oracle:)`).
  var header: String
  /// Rows without the header, "\n"-terminated.
  var text = ""

  init(header: String) { self.header = header }

  /// The whole CSV of a run: the header, then every job's rows in (variant, replication) order.
  static func csv(_ jobs: [[JobResult]]) -> String? {
    let logs = jobs.flatMap { $0 }.compactMap(\.decisionLog)
    guard let first = logs.first else { return nil }
    return first.header + logs.map(\.text).joined()
  }

  /// The header for an environment's schema and candidate count.
  static func header(schema: FeatureSchema, candidates: Int, oracle: Bool) -> String {
    var columns = [
      "variant", "replication", "step", "user", "slot", "action", "candidate_id", "propensity", "reward", "click",
    ]
    columns += (0..<schema.decisionDenseWidth).map { "context_\($0)" }
    columns += schema.decisionCategorical.map { "category_\($0.name)" }
    if oracle { columns += (0..<candidates).map { "expected_reward_\($0)" } }
    return columns.joined(separator: ",") + "\n"
  }

  /// Appends the shown ads of one batch. `propensities` holds NaN where the policy did not report one, which is
  /// written as an empty field (a reader then says which row lacks it).
  mutating func append(
    variant: String, replication: Int, batch: DecisionBatch, actions: [Int32], propensities: [Double],
    rewards: [Double],
    outcomes: OutcomeBatch, expectedRewards: [Double]?
  ) {
    let slots = batch.slotCount, k = batch.candidateCount
    let denseWidth = batch.schema.decisionDenseWidth, categoricalWidth = batch.schema.decisionCategorical.count
    for (entry, action) in actions.enumerated() where action != DecisionBatch.noAd {
      let i = entry / slots, s = entry % slots
      var fields = [
        variant, String(replication), String(batch.steps[i]), String(batch.userIDs[i]), String(s), String(action),
        String(batch.adID(decision: i, candidate: Int(action))),
        propensities[entry].isNaN ? "" : "\(propensities[entry])", "\(rewards[entry])", "\(outcomes.clicks[entry])",
      ]
      for j in 0..<denseWidth { fields.append("\(batch.features.decisionDense[i * denseWidth + j])") }
      for j in 0..<categoricalWidth {
        fields.append(String(batch.features.decisionCategorical[i * categoricalWidth + j]))
      }
      if let expectedRewards {
        for c in 0..<k { fields.append("\(expectedRewards[entry * k + c])") }
      }
      text += fields.joined(separator: ",")
      text += "\n"
    }
  }
}
