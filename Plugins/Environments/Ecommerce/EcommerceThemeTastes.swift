import AdLabTensor

/// Users' tastes for the text themes and each ad's theme mix (from the title of the item it promotes), giving the
/// click logit the term `theme_weight · taste[user] · mix[ad]`: the information a title's words carry and an item id
/// does not. Built only when `theme_weight` > 0, so the default market draws and stores nothing extra.
struct EcommerceThemeTastes {
  let themeCount: Int
  let weight: Double
  /// `users × themeCount`, normal with SD `theme_taste_sd`.
  let userTaste: [Float]
  /// `ads × themeCount`, each row the theme weights of the promoted item (sums to 1).
  let adMix: [Float]

  /// `adItems[a]` is the item ad `a` promotes; the items' theme mixes come from the catalog's texts.
  init?(_ params: EcommerceEnvironment.Params, text: EcommerceCatalogText?, adItems: [Int], key: StreamKey) {
    guard params.themeWeight > 0, let text else { return nil }
    let themes = text.themeCount
    themeCount = themes
    weight = params.themeWeight
    var mix = [Float](repeating: 0, count: adItems.count * themes)
    for (ad, item) in adItems.enumerated() {
      for theme in 0..<themes { mix[ad * themes + theme] = text.itemThemes[item * themes + theme] }
    }
    adMix = mix
    var stream = RandomStream(key: key.child("taste"))
    var taste = [Float](repeating: 0, count: params.users * themes)
    for index in taste.indices { taste[index] = Float(params.themeTasteSD * stream.normal()) }
    userTaste = taste
  }

  /// `theme_weight · taste[user] · mix[ad]`.
  @inline(__always) func term(user: Int, ad: Int) -> Double {
    var dot: Float = 0
    userTaste.withUnsafeBufferPointer { taste in
      adMix.withUnsafeBufferPointer { mix in
        let u = user * themeCount, a = ad * themeCount
        for theme in 0..<themeCount { dot += taste[u + theme] * mix[a + theme] }
      }
    }
    return weight * Double(dot)
  }
}
