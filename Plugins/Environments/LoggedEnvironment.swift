import AdLabCore
import AdLabTensor
import Foundation

/// Logged traffic instead of a simulated market: the Open Bandit Dataset, a CSV in AdLab's logged-bandit
/// schema, the decision log of a simulated run's bundle, or synthetic logs from a known click model.
/// `adlab run` evaluates each variant's policy on these logs off-policy (see `OffPolicyRunner`); the environment
/// does not serve decisions online.
public final class LoggedEnvironment: Environment, LoggedBanditSource {
  public struct Params: PluginParameters {
    public var dataset = "obd"
    public var campaigns = ["all"]
    public var behavior = "random"
    public var path = ""
    public var variant = ""
    public var actions = 0
    public var rounds = 10_000
    public var features = 5
    public var logging = SyntheticLogs.Logging.uniform
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init(
          "dataset", \.dataset,
          doc: "obd (Open Bandit Dataset), csv (logged-bandit CSV), bundle (a run's decisions.csv) or synthetic",
          .oneOf(["obd", "csv", "bundle", "synthetic"])),
        .init("campaigns", \.campaigns, doc: "obd: campaigns to evaluate on, each a segment (all, men, women)"),
        .init(
          "behavior", \.behavior, doc: "obd: the logging policy whose logs are replayed",
          .oneOf(OpenBanditDataset.behaviors)),
        .init("path", \.path, doc: "csv: the file; bundle: the bundle folder (with decisions.csv)"),
        .init("variant", \.variant, doc: "bundle: whose traffic to replay (empty: the first variant in the log)"),
        .init(
          "actions", \.actions, doc: "csv/bundle: number of actions K (0: the largest logged action + 1); synthetic: K",
          .range(0...1_000_000)),
        .init("rounds", \.rounds, doc: "synthetic: logged rounds", .range(1...100_000_000)),
        .init("features", \.features, doc: "synthetic: context dimension", .range(0...10_000)),
        .init(
          "logging", \.logging, doc: "synthetic: behaviour policy, uniform or softmax (of the true click probabilities)"
        ),
      ]
    }
    public func crossFieldProblems() -> [String] {
      var problems: [String] = []
      if dataset == "obd" {
        if campaigns.isEmpty { problems.append("campaigns needs at least one of all, men, women") }
        for c in campaigns where !OpenBanditDataset.campaigns.contains(c) {
          problems.append("campaign '\(c)' is not an OBD campaign; use all, men or women")
        }
      }
      if (dataset == "csv" || dataset == "bundle") && path.isEmpty {
        problems.append("dataset '\(dataset)' needs a path")
      }
      if dataset == "synthetic" && actions == 1 { problems.append("synthetic logs need at least 2 actions") }
      return problems
    }
  }

  let params: Params
  let key: StreamKey

  public init(_ params: Params, context: PluginContext) {
    self.params = params
    key = context.key.child("logged")
  }

  public func loadLogs() throws -> [LoggedSegment] {
    switch params.dataset {
    case "obd":
      let folder = DatasetCache.openBanditFolder
      return try params.campaigns.map { campaign in
        // Other behaviours' logs are read only when a variant's truth needs them (see `onPolicyValueLoader`).
        var logs = try OpenBanditDataset.segment(folder: folder, campaign: campaign, behavior: params.behavior)
        logs.sourceHashes["prior_bts.yaml"] = try? FileDigest.sha256(path: "\(folder)/prior_bts.yaml")
        return logs
      }
    case "csv":
      return [
        try LoggedBanditCSV.segment(
          path: params.path, name: "csv/\((params.path as NSString).lastPathComponent)",
          actions: params.actions > 0 ? params.actions : nil)
      ]
    case "bundle":
      return [
        try DecisionLogReader.segment(
          bundle: params.path, variant: params.variant.isEmpty ? nil : params.variant,
          actions: params.actions > 0 ? params.actions : nil)
      ]
    default:
      return [
        SyntheticLogs.segment(
          rounds: params.rounds, actions: max(params.actions, 2), features: params.features,
          logging: params.logging, key: key.child("synthetic"))
      ]
    }
  }

  // MARK: - Environment (not served online)

  public var candidateCount: Int { 1 }
  public var outcomeColumns: OutcomeColumns { .clicks }
  public var hasOracle: Bool { false }

  public func nextBatch(firstStep: Int, count: Int) -> DecisionBatch {
    preconditionFailure("the 'logged' environment is evaluated off-policy by `adlab run`; it does not serve decisions")
  }

  public func resolve(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, into outcomes: inout OutcomeBatch) {
    preconditionFailure(
      "the 'logged' environment is evaluated off-policy by `adlab run`; it does not resolve decisions")
  }

  public func expectedOutcomes(_ batch: DecisionBatch, into outcomes: inout OutcomeBatch) {}
}
