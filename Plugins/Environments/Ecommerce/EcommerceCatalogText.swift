import AdLabCore
import AdLabTensor

/// The catalog's words: every item's title and theme mix, and every campaign's ad line, written by
/// `EcommerceTextWriter` from the key `(text_seed, "ecommerce-text")`.
///
/// The texts depend on the text seed and the item's index and leaf only — not on the replication — so every
/// replication of an experiment serves the same catalogue of texts and a text model embeds each once. Catalog
/// leaf `c` is the vocabulary's product category `c mod 26`; with at most 26 leaves every leaf has its own nouns.
struct EcommerceCatalogText {
  let themeCount: Int
  /// `items × themeCount`: each item's theme weights (summing to 1).
  let itemThemes: [Float]
  let itemTitles: [String]
  let adLines: [String]

  init(_ params: EcommerceEnvironment.Params, catalog: EcommerceCatalog, adItems: [Int]) {
    let writer = EcommerceTextWriter(key: Self.key(textSeed: params.textSeed))
    themeCount = writer.themeCount
    var themes = [Float](repeating: 0, count: catalog.itemCount * themeCount)
    var titles: [String] = []
    titles.reserveCapacity(catalog.itemCount)
    for item in 0..<catalog.itemCount {
      let text = writer.item(item, leaf: Self.vocabularyLeaf(ofLeaf: Int(catalog.leaf[item])))
      for theme in 0..<themeCount { themes[item * themeCount + theme] = text.themeWeights[theme] }
      titles.append(text.title)
    }
    itemThemes = themes
    itemTitles = titles
    adLines = adItems.enumerated().map { writer.adLine(campaign: $0.offset, itemTitle: titles[$0.element]) }
  }

  static func key(textSeed: Int) -> StreamKey { StreamKey(seed: UInt64(textSeed)).child("ecommerce-text") }

  /// The vocabulary's product category of catalog leaf `c`.
  static func vocabularyLeaf(ofLeaf c: Int) -> Int { c % EcommerceTextVocabulary.leafCategories.count }
}

/// The text embeddings the market serves as features (`text_features`): one row per item title and per ad line,
/// from the host's `TextEmbedder` (all-MiniLM-L6-v2 with its on-disk cache in `adlab`). Raw rows, because serving
/// copies one of each per candidate.
final class EcommerceTextEmbeddings {
  let dimension: Int
  /// `items × dimension` and `ads × dimension`, row-major.
  let items: UnsafeMutablePointer<Float>
  let ads: UnsafeMutablePointer<Float>

  init(_ text: EcommerceCatalogText, embedder: any TextEmbedder) throws {
    guard embedder.dimension == EcommerceEnvironment.textDimension else {
      throw TextEmbedderError(
        "\(embedder.modelName) gives \(embedder.dimension)-d embeddings; the market's text features are \(EcommerceEnvironment.textDimension)-d"
      )
    }
    dimension = embedder.dimension
    let itemCount = text.itemTitles.count, adCount = text.adLines.count
    let all = try embedder.embed(text.itemTitles + text.adLines)
    guard all.count == (itemCount + adCount) * dimension else {
      throw TextEmbedderError(
        "\(embedder.modelName) returned \(all.count) floats for \(itemCount + adCount) texts of width \(dimension)")
    }
    items = .allocate(capacity: max(1, itemCount * dimension))
    ads = .allocate(capacity: max(1, adCount * dimension))
    all.withUnsafeBufferPointer { all in
      for x in 0..<(itemCount * dimension) { items[x] = all[x] }
      for x in 0..<(adCount * dimension) { ads[x] = all[itemCount * dimension + x] }
    }
  }

  deinit {
    items.deallocate()
    ads.deallocate()
  }
}
