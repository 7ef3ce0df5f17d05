import AdLabBuiltins
import AdLabCore
import Foundation
import Testing

/// The e-commerce market inside the runner: identical bundles for any number of jobs, business metrics present,
/// default-configured interest models working on its schema, and per-variant rewards.
struct EcommerceRunnerTests {
  static let market =
    "{ plugin: ecommerce, params: { users: 1500, items: 300, brands: 30, ads: 40, page_views_per_day: 400 } }"

  static func run(_ variants: String, reward: String = "click", jobs: Int, horizon: Int = 600) async throws -> (
    ExperimentResult, BundleContents
  ) {
    let text = """
      name: ecommerce-runner
      seed: 23
      replications: 2
      horizon: \(horizon)
      batch: 100
      environment: \(market)
      reward: \(reward)
      variants:
      \(variants)
      """
    let loaded = try SpecLoader.load(text: text, file: "ecommerce-runner.yaml", registry: .builtin)
    let result = try await ExperimentRunner(jobs: jobs).run(loaded.spec)
    return (result, BundleContents(result: result, summary: ExperimentSummary(result), specText: loaded.sourceText))
  }

  @Test func bundlesAreIdenticalForOneAndTwoJobs() async throws {
    let variants = """
        ucb1: { policy: ucb1 }
        greedy: { policy: greedy-model, model: logistic }
        roi: { policy: epsilon-greedy, reward: { plugin: roi-constrained, params: { target: 2 } } }
      """
    let one = try await Self.run(variants, reward: "profit", jobs: 1).1
    let two = try await Self.run(variants, reward: "profit", jobs: 2).1
    #expect(one.files == two.files)
    let summary = String(decoding: one.files["summary.md"] ?? Data(), as: UTF8.self)
    for metric in [
      "impressions", "clicks", "ctr", "conversions", "cvr", "revenue", "spend", "profit", "roi", "roas",
      "budget_utilisation", "ads_per_user_day", "ads_per_user_day_p90", "return_rate", "regret",
    ] {
      #expect(summary.contains("| \(metric) |"), "summary.md shows \(metric)")
    }
    #expect(summary.contains("## Ads per user-day") && summary.contains("own rewards: `roi`: `roi-constrained`"))
  }

  @Test(arguments: ["logistic", "fm", "deepfm", "din"])
  func defaultModelsRunOnTheMarketSchema(model: String) async throws {
    let (result, _) = try await Self.run("  greedy: { policy: greedy-model, model: \(model) }", jobs: 2, horizon: 300)
    let totals = result.jobs[0][0].totals
    #expect(totals.impressions > 0 && totals.predicted > 0)
    // A coin flip (p = 0.5 for every ad) scores ln 2 ≈ 0.693 per prediction; a model must do better. (After 300
    // online decisions none beats the click rate's own entropy, ≈ 0.16, so that stricter bound needs longer runs.)
    let perPrediction = totals.logLoss / totals.predicted
    let check = { #expect(perPrediction < Foundation.log(2.0), "\(model): log loss \(perPrediction) per prediction") }
    if model == "fm" {
      // Found when this bound replaced the old `< 10` for FM: ≈ 1.02, worse than a coin flip. Its pairwise terms on
      // the market's unscaled dense columns (hours up to 48, eCPM bids) make the default learning rate diverge.
      // When FM is fixed this known issue stops occurring and the test says so.
      withKnownIssue("FM's default learning rate diverges on the ecommerce market's unscaled dense columns") { check() }
    } else {
      check()
    }
  }
}
