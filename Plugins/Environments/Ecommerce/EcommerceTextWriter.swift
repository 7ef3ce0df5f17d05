import AdLabTensor

/// Writes item titles and ad lines in real product language from `EcommerceTextVocabulary`, each from its own
/// seeded stream keyed by the item (or campaign) index, so a text never depends on how many other items exist or
/// arrive later, and the same key writes the same catalogue.
///
/// Generative assumption: an item has one leaf category (given: the catalog's) and a mix of one or two themes (a
/// primary theme with weight `primaryThemeWeight`, and with probability `secondThemeProbability` a second theme with
/// the rest). Its title is "<primary theme word> [<attribute>] <noun>[, <second theme word>]": the noun names the
/// leaf, the theme words name the themes.
struct EcommerceTextWriter {
  /// An item's theme mix (weights over `EcommerceTextVocabulary.themes`, summing to 1) and title.
  struct ItemText: Equatable {
    let themeWeights: [Float]
    let title: String
  }

  static let primaryThemeWeight: Float = 0.7
  static let secondThemeProbability = 0.5
  static let attributeProbability = 0.6

  let key: StreamKey

  var themeCount: Int { EcommerceTextVocabulary.themes.count }

  /// Item `index`'s text, for an item of vocabulary leaf category `leaf`.
  func item(_ index: Int, leaf: Int) -> ItemText {
    var stream = RandomStream(key: key.child("item").child(UInt64(index)))
    let primary = stream.int(below: themeCount)
    var weights = [Float](repeating: 0, count: themeCount)
    var second: Int? = nil
    if stream.uniform() < Self.secondThemeProbability {
      // A different theme: draw among the other themeCount - 1 and skip over the primary.
      let other = stream.int(below: themeCount - 1)
      second = other >= primary ? other + 1 : other
    }
    if let second {
      weights[primary] = Self.primaryThemeWeight
      weights[second] = 1 - Self.primaryThemeWeight
    } else {
      weights[primary] = 1
    }
    let category = EcommerceTextVocabulary.leafCategories[leaf]
    var words = [Self.pick(EcommerceTextVocabulary.themes[primary].words, &stream)]
    if stream.uniform() < Self.attributeProbability { words.append(Self.pick(category.attributes, &stream)) }
    words.append(Self.pick(category.nouns, &stream))
    var title = words.joined(separator: " ")
    if let second { title += ", " + Self.pick(EcommerceTextVocabulary.themes[second].words, &stream) }
    return ItemText(themeWeights: weights, title: title)
  }

  /// Campaign `index`'s ad line for the item it promotes: an opener, the item's title and a call to action.
  func adLine(campaign index: Int, itemTitle: String) -> String {
    var stream = RandomStream(key: key.child("ad").child(UInt64(index)))
    let opener = Self.pick(EcommerceTextVocabulary.adOpeners, &stream)
    let call = Self.pick(EcommerceTextVocabulary.adCalls, &stream)
    return "\(opener) \(itemTitle) — \(call)"
  }

  @inline(__always)
  private static func pick(_ words: [String], _ stream: inout RandomStream) -> String {
    words[stream.int(below: words.count)]
  }
}
