import AdLabCore
import AdLabEnvironments
import AdLabModels
import AdLabPolicies
import AdLabRewards
import AdLabTensor
import Foundation
import Testing

@testable import AdLabEnvironments

/// A deterministic stand-in for a sentence encoder (no model file): each word of a text adds ±1 to a few of 384
/// components chosen by its hash, so texts sharing words are similar. Counts the texts it is asked for.
final class WordHashEmbedder: TextEmbedder, @unchecked Sendable {
  let unavailable: String?
  private let lock = NSLock()
  private var asked = 0
  init(unavailable: String? = nil) { self.unavailable = unavailable }

  var modelName: String { "word-hash" }
  var dimension: Int { 384 }
  var textsAsked: Int { lock.withLock { asked } }
  func unavailableReason() -> String? { unavailable }

  func embed(_ texts: [String]) throws -> [Float] {
    lock.withLock { asked += texts.count }
    var out = [Float](repeating: 0, count: texts.count * dimension)
    for (t, text) in texts.enumerated() {
      for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) {
        let h = EcommerceCatalog.hashWord(String(word))
        for j in 0..<3 {
          out[t * dimension + Int((h >> (16 * UInt64(j))) % 384)] += (h >> (48 + UInt64(j))) & 1 == 0 ? 1 : -1
        }
      }
    }
    return out
  }
}

/// The text features: shapes, exact values (item and ad rows, the history mean), the spec-time model check, and
/// bit-identical runs for any number of jobs.
struct EcommerceTextFeatureTests {
  static func market(embedder: WordHashEmbedder) throws -> EcommerceEnvironment {
    var params = EcommerceEnvironment.Params()
    params.users = 800
    params.items = 300
    params.ads = 30
    params.topCategories = 5
    params.subcategories = 5
    params.pageViewsPerDay = 500
    params.newItemsPerDay = 10
    params.newCampaignsPerDay = 2
    params.newLeaves = 2
    params.textFeatures = true
    params.themeWeight = 1
    return try EcommerceEnvironment.make(
      params,
      context: PluginContext(
        key: StreamKey(seed: 3).child("env"), replication: 0, horizon: 2000, batchSize: 100, candidateCount: 0),
      textEmbedder: embedder)
  }

  @Test func textFeaturesHaveTheirShapesAndValues() throws {
    let embedder = WordHashEmbedder()
    let env = try Self.market(embedder: embedder)
    let text = try #require(env.catalogText)
    #expect(embedder.textsAsked == env.catalog.itemCount + env.adCount)
    let schema = env.featureSchema
    #expect(schema.decisionDenseWidth == 3 + 384)
    #expect(schema.candidateDenseWidth == 4 + 1 + 2 * 384)
    let history = try #require(schema.columns(of: "history_text"))
    let itemColumns = try #require(schema.columns(of: "item_text")),
      adColumns = try #require(schema.columns(of: "ad_text"))
    var batches = 0
    EcommerceTestSupport.run(
      env, batches: 8, size: 100,
      visit: { batch, _, _ in
        batches += 1
        let k = batch.candidateCount, dw = schema.decisionDenseWidth, cw = schema.candidateDenseWidth
        #expect(batch.features.decisionDense.count == batch.count * dw)
        #expect(batch.features.candidateDense.count == batch.count * k * cw)
        for i in stride(from: 0, to: batch.count, by: 7) {
          let c = i % k, ad = Int(batch.candidateIDs[i * k + c]), itemIndex = Int(env.adTable.rows[ad].itemPlusOne) - 1
          let row = (i * k + c) * cw
          let expectedItem = (try? embedder.embed([text.itemTitles[itemIndex]])) ?? []
          let expectedAd = (try? embedder.embed([text.adLines[ad]])) ?? []
          #expect(
            Array(batch.features.candidateDense[(row + itemColumns.lowerBound)..<(row + itemColumns.upperBound)])
              == expectedItem)
          #expect(
            Array(batch.features.candidateDense[(row + adColumns.lowerBound)..<(row + adColumns.upperBound)])
              == expectedAd)
          // history_text is the mean of the embeddings of the titles in the behaviour sequence.
          let length = Int(batch.features.sequenceLengths[i]), h = env.params.history
          var mean = [Float](repeating: 0, count: 384)
          if length > 0 {
            let titles = batch.features.sequences[(i * h)..<(i * h + length)].map { text.itemTitles[Int($0) - 1] }
            let rows = (try? embedder.embed(titles)) ?? []
            for j in 0..<length { for x in 0..<384 { mean[x] += rows[j * 384 + x] } }
            for x in 0..<384 { mean[x] *= 1 / Float(length) }
          }
          let served = Array(
            batch.features.decisionDense[(i * dw + history.lowerBound)..<(i * dw + history.upperBound)])
          #expect(served == mean)
        }
      })
    #expect(batches == 8)
  }

  @Test func textFeaturesNeedAnAvailableModelAtSpecTime() throws {
    var registry = PluginRegistry()
    registry.registerEnvironments(
      textEmbedder: WordHashEmbedder(unavailable: "the model is not cached; run `adlab models fetch minilm` first"))
    registry.registerPolicies()
    registry.registerRewards()
    let spec = """
      name: text
      horizon: 100
      batch: 50
      environment: { plugin: ecommerce, params: { users: 100, items: 100, ads: 20, top_categories: 5, subcategories: 5, text_features: true } }
      variants: { a: { policy: random } }
      """
    #expect {
      _ = try SpecLoader.load(text: spec, file: "text.yaml", registry: registry)
    } throws: { error in
      "\(error)".contains("text_features") && "\(error)".contains("adlab models fetch minilm")
    }
    var withoutEmbedder = PluginRegistry()
    withoutEmbedder.registerEnvironments()
    withoutEmbedder.registerPolicies()
    withoutEmbedder.registerRewards()
    #expect(throws: (any Error).self) {
      _ = try SpecLoader.load(text: spec, file: "text.yaml", registry: withoutEmbedder)
    }
  }

  /// Two variants of the same two-tower model, with and without the text features, on a market with arrivals.
  static func coldStartRun(jobs: Int, embedder: WordHashEmbedder) async throws -> BundleContents {
    var registry = PluginRegistry()
    registry.registerEnvironments(textEmbedder: embedder)
    registry.registerPolicies()
    registry.registerRewards()
    registry.registerModels()
    let spec = """
      name: cold-start-small
      seed: 4
      replications: 2
      horizon: 600
      batch: 200
      environment:
        plugin: ecommerce
        params: { users: 500, items: 200, ads: 20, top_categories: 5, subcategories: 5, page_views_per_day: 200, slots: 2,
                  candidates: 5, new_items_per_day: 10, new_campaigns_per_day: 3, new_leaves: 2, theme_weight: 1, text_features: true }
      reward: click
      variants:
        ids-only:
          policy: { plugin: greedy-model, params: { epsilon: 0.1 } }
          model: { plugin: two-tower, params: { buckets: 1024, embedding: 4, tower: [8], ignore_features: [item_text, ad_text, history_text] } }
        text:
          policy: { plugin: greedy-model, params: { epsilon: 0.1 } }
          model: { plugin: two-tower, params: { buckets: 1024, embedding: 4, tower: [8] } }
      """
    let loaded = try SpecLoader.load(text: spec, file: "cold-start-small.yaml", registry: registry)
    let result = try await ExperimentRunner(jobs: jobs).run(loaded.spec)
    return BundleContents(result: result, summary: ExperimentSummary(result), specText: loaded.sourceText)
  }

  @Test func coldStartBundlesAreIdenticalForOneAndTwoJobsAndReportNewItemMetrics() async throws {
    let one = try await Self.coldStartRun(jobs: 1, embedder: WordHashEmbedder())
    let two = try await Self.coldStartRun(jobs: 2, embedder: WordHashEmbedder())
    #expect(one.files == two.files)
    let summary = String(decoding: one.files["summary.md"] ?? Data(), as: UTF8.self)
    for metric in ["new_item_ctr", "new_item_share", "new_item_regret", "new_item_regret_per_decision"] {
      #expect(summary.contains("| \(metric) |"), "summary.md shows \(metric)")
    }
  }

  @Test func ignoreFeaturesMustNameDenseFeatures() throws {
    var registry = PluginRegistry()
    registry.registerEnvironments(textEmbedder: WordHashEmbedder())
    registry.registerPolicies()
    registry.registerRewards()
    registry.registerModels()
    let spec = """
      name: ignore
      horizon: 100
      batch: 50
      environment: { plugin: ecommerce, params: { users: 100, items: 100, ads: 20 } }
      variants: { a: { policy: greedy-model, model: { plugin: two-tower, params: { ignore_features: [item_txt] } } } }
      """
    #expect {
      _ = try SpecLoader.load(text: spec, file: "ignore.yaml", registry: registry)
    } throws: { error in
      "\(error)".contains("ignore_features") && "\(error)".contains("item_txt")
    }
  }
}
