/// A fully decoded, validated experiment: every plugin resolved and every default filled in.
public struct ExperimentSpec: Sendable {
  /// How variants share traffic in a replication.
  public enum Mode: String, Sendable, CaseIterable {
    /// Every variant sees the same users and the same outcome noise (common random numbers).
    case paired
    /// One population; each user is assigned to one variant by a seeded hash with the traffic weights.
    case split
  }

  /// One arm of the A/B/n comparison; the first variant is the control.
  public struct Variant: Sendable {
    public var name: String
    public var policy: PreparedPlugin<any Policy>
    /// The interest model whose predictions the policy sees, and which learns online; optional.
    public var model: PreparedPlugin<any InterestModel>?
    /// Share of traffic in split mode (normalised over all variants).
    public var weight: Double
    /// This variant's own reward, replacing the experiment's (nil: the experiment's). For objectives that belong
    /// to the policy, such as a Lagrangian reward with its own multiplier: the `reward` and `regret` metrics
    /// then measure each variant's own objective, while the business metrics stay comparable.
    public var reward: PreparedPlugin<any RewardFunction>? = nil
  }

  public var name: String
  public var description: String
  public var seed: UInt64
  public var replications: Int
  public var horizon: Int
  public var batchSize: Int
  /// Decisions per time-series window.
  public var reportEvery: Int
  public var environment: PreparedPlugin<any Environment>
  public var reward: PreparedPlugin<any RewardFunction>
  public var variants: [Variant]
  public var mode: Mode
  /// Significance level; intervals are at confidence 1 − alpha.
  public var alpha: Double
  /// The spec's `sweep:` block, if any. Not part of the experiment: `resolvedJSON` leaves it out, and each
  /// sweep cell is a plain experiment without it.
  public var sweep: SweepSpec?
  /// How `adlab train` fits the variants' models offline (nil: not given, defaults apply).
  public var training: TrainingSettings?
  /// How `adlab run` evaluates the variants off-policy when the environment replays logs (nil: defaults apply).
  public var evaluation: EvaluationSettings?
  /// `log: decisions`: keep a decision log (`decisions.csv` in the bundle) of every shown ad with its propensity.
  public var logDecisions = false

  public var control: Variant { variants[0] }

  /// Each variant's share of split traffic (its weight over the sum of weights).
  public var trafficShares: [Double] {
    let total = variants.reduce(0) { $0 + $1.weight }
    return variants.map { $0.weight / total }
  }

  /// The canonical form: every key, every default, in a fixed order. Its hash identifies the experiment.
  public var resolvedJSON: JSONValue {
    func plugin<P>(_ prepared: PreparedPlugin<P>) -> JSONValue {
      .object([("plugin", .string(prepared.name)), ("params", prepared.parameters)])
    }
    return .object(
      [
        ("name", .string(name)),
        ("description", .string(description)),
        ("seed", .int(Int(seed))),
        ("replications", .int(replications)),
        ("horizon", .int(horizon)),
        ("batch", .int(batchSize)),
        ("report_every", .int(reportEvery)),
        ("environment", plugin(environment)),
        ("reward", plugin(reward)),
        (
          "variants",
          .object(
            variants.map { variant in
              var entries: [(String, JSONValue)] = [("policy", plugin(variant.policy))]
              if let model = variant.model { entries.append(("model", plugin(model))) }
              entries.append(("weight", .number(variant.weight)))
              if let reward = variant.reward { entries.append(("reward", plugin(reward))) }
              return (variant.name, .object(entries))
            })
        ),
        ("comparison", .object([("mode", .string(mode.rawValue)), ("alpha", .number(alpha))])),
      ] + (training.map { [("training", $0.resolvedJSON)] } ?? [])
        + (evaluation.map { [("evaluation", $0.resolvedJSON)] } ?? [])
        + (logDecisions ? [("log", .string("decisions"))] : []))
  }
}
