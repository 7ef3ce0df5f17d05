import AdLabTensor
import Foundation

/// The shop's catalog: a two-level category tree and items with a brand, a price, a margin rate, a quality and a
/// title made of words.
///
/// Leaf category `c` (0-based) belongs to top category `c / subcategories`. The initial items cycle over the
/// leaves that are not held back for arrivals (`stocked`, all leaves by default): item `i < items` sits in leaf
/// `stocked[i % stocked.count]`, so the initial items of a leaf are `p, p + m, p + 2m, …` (p its position among
/// the m stocked leaves) and a uniform item of a leaf needs no index table. Items that arrive during the run come
/// after them, in the leaves `EcommerceArrivals` drew.
/// Prices are log-normal around a per-leaf median drawn log-uniformly between `price_min` and `price_max`.
/// A title is "<brand> <adjective> <noun>": the noun names the leaf, the adjective is picked by quality
/// (better items get "premium" words), so hashed title tokens carry information a text-aware model can use.
struct EcommerceCatalog {
  let leaves: Int
  let subcategories: Int
  /// Per item (struct of arrays).
  let leaf: [UInt16]
  let brand: [UInt16]
  let price: [Float]
  let logPrice: [Float]
  let marginRate: [Float]
  let quality: [Float]
  /// Hashed title words, 3 per item: brand, adjective, noun.
  let titleTokens: [UInt64]
  /// Per leaf: median log price (the reference a user's price sensitivity compares against).
  let medianLogPrice: [Float]
  /// Items present from the start, the leaves they fill, and each leaf's position among those (−1 if held back).
  let initialItems: Int
  let stocked: [Int]
  let stockedPosition: [Int]

  static let titleWords = 3
  /// Adjectives from plainest to finest; an item's quality picks one.
  static let adjectives = [
    "basic", "simple", "everyday", "classic", "practical", "durable", "stylish", "refined", "premium", "luxury",
  ]
  /// Nouns of the first subcategories; further leaves get a numbered noun.
  static let nouns = [
    "sneakers", "jacket", "dress", "scarf", "boots", "headphones", "laptop", "camera", "charger", "speaker",
    "sofa", "lamp", "rug", "pillow", "shelf", "serum", "lipstick", "shampoo", "perfume", "cream",
    "racket", "yoga-mat", "bike", "tent", "dumbbells", "puzzle", "doll", "robot-kit", "blocks", "kite",
    "novel", "cookbook", "atlas", "comic", "diary", "hose", "shovel", "planter", "seeds", "grill",
    "coffee", "tea", "chocolate", "olive-oil", "pasta", "tyres", "wipers", "car-mat", "dashcam", "polish",
  ]

  init(_ params: EcommerceEnvironment.Params, arrivals: EcommerceArrivals, key: StreamKey) {
    var stream = RandomStream(key: key)
    leaves = params.leafCategories
    subcategories = params.subcategories
    initialItems = params.items
    let stocked = (0..<params.leafCategories).filter { !arrivals.heldBack[$0] }
    var position = [Int](repeating: -1, count: params.leafCategories)
    for (p, c) in stocked.enumerated() { position[c] = p }
    self.stocked = stocked
    stockedPosition = position
    let logMin = AdLabMath.log(params.priceMin), logMax = AdLabMath.log(params.priceMax)
    medianLogPrice = (0..<leaves).map { _ in Float(logMin + (logMax - logMin) * stream.uniform()) }
    let n = params.items + arrivals.newItemCount
    var leaf = [UInt16](repeating: 0, count: n), brand = leaf
    var price = [Float](repeating: 0, count: n), logPrice = price, marginRate = price, quality = price
    var tokens = [UInt64](repeating: 0, count: n * Self.titleWords)
    let brandTokens = (0..<params.brands).map { Self.hashWord(Self.brandName($0)) }
    let adjectiveTokens = Self.adjectives.map(Self.hashWord)
    let nounTokens = (0..<leaves).map { Self.hashWord($0 < Self.nouns.count ? Self.nouns[$0] : "item-\($0)") }
    for i in 0..<n {
      let c = i < params.items ? stocked[i % stocked.count] : arrivals.itemLeaf[i - params.items]
      leaf[i] = UInt16(c)
      let b = stream.int(below: params.brands)
      brand[i] = UInt16(b)
      let lp = Double(medianLogPrice[c]) + params.priceSigma * stream.normal()
      logPrice[i] = Float(lp)
      price[i] = Float(AdLabMath.exp(lp))
      marginRate[i] = Float(params.marginMin + (params.marginMax - params.marginMin) * stream.uniform())
      let q = stream.uniform()
      quality[i] = Float(q)
      // The adjective follows quality with some noise, so the word is informative but not a giveaway.
      let a = min(max(Int((q + 0.15 * stream.normal()) * Double(Self.adjectives.count)), 0), Self.adjectives.count - 1)
      tokens[i * 3] = brandTokens[b]
      tokens[i * 3 + 1] = adjectiveTokens[a]
      tokens[i * 3 + 2] = nounTokens[c]
    }
    self.leaf = leaf
    self.brand = brand
    self.price = price
    self.logPrice = logPrice
    self.marginRate = marginRate
    self.quality = quality
    titleTokens = tokens
  }

  var itemCount: Int { leaf.count }

  /// Top category of a leaf.
  @inline(__always) func top(ofLeaf c: Int) -> Int { c / subcategories }

  /// Number of initial items in leaf `c`.
  @inline(__always) func members(ofLeaf c: Int) -> Int {
    let p = stockedPosition[c], m = stocked.count
    return p < 0 ? 0 : (initialItems - p + m - 1) / m
  }

  /// The `j`-th initial item of leaf `c`.
  @inline(__always) func item(leaf c: Int, member j: Int) -> Int { stockedPosition[c] + stocked.count * j }

  /// The title of an item as text (for people and tests; models see the hashed tokens).
  func title(of item: Int) -> String {
    let c = Int(leaf[item])
    let q = Double(quality[item])
    let adjective = Self.adjectives[min(Int(q * Double(Self.adjectives.count)), Self.adjectives.count - 1)]
    return "\(Self.brandName(Int(brand[item]))) \(adjective) \(c < Self.nouns.count ? Self.nouns[c] : "item-\(c)")"
  }

  /// A pronounceable brand name from two syllables and a number beyond the first 400.
  static func brandName(_ b: Int) -> String {
    let first = [
      "Ac", "Bel", "Cor", "Dun", "El", "Fen", "Gal", "Hal", "Ist", "Jor", "Kel", "Lum", "Mor", "Nor", "Ost", "Pel",
      "Quin", "Ros", "Sol", "Tor",
    ]
    let second = [
      "ma", "vo", "rix", "den", "ta", "lia", "con", "wick", "sen", "dor", "ia", "mo", "ex", "ly", "ra", "nox", "ter",
      "vi", "go", "na",
    ]
    let name = first[b % 20] + second[(b / 20) % 20]
    return b < 400 ? name : name + "\(b / 400)"
  }

  /// 64-bit FNV-1a of a word's UTF-8 bytes: a stable token id (no dependence on Swift's per-process hash seed).
  static func hashWord(_ word: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in word.utf8 {
      h ^= UInt64(byte)
      h = h &* 0x0000_0100_0000_01b3
    }
    return h
  }
}
