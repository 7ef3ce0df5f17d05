import AdLabTensor
import Testing

@testable import AdLabEnvironments

/// The market's product language: vocabulary coverage, deterministic titles, held-back leaf categories.
struct EcommerceTextWriterTests {
  private static func writer(seed: UInt64, heldBack: Int = 4) -> EcommerceTextWriter {
    EcommerceTextWriter(key: StreamKey(seed: seed).child("text"), heldBackLeaves: heldBack)
  }

  @Test func vocabularyIsLargeAndCoversManyLeavesAndThemes() {
    #expect(EcommerceTextVocabulary.allEntries.count >= 300)
    #expect(EcommerceTextVocabulary.leafCategories.count >= 20)
    #expect((8...12).contains(EcommerceTextVocabulary.themes.count))
    #expect(Set(EcommerceTextVocabulary.leafCategories.map(\.name)).count == EcommerceTextVocabulary.leafCategories.count)
    #expect(Set(EcommerceTextVocabulary.themes.map(\.name)).count == EcommerceTextVocabulary.themes.count)
    // A theme word shared with another theme would blur which taste a title speaks to.
    let themeWords = EcommerceTextVocabulary.themes.flatMap(\.words)
    #expect(Set(themeWords).count == themeWords.count)
  }

  @Test func titlesAreDeterministicPerSeedAndDifferAcrossSeeds() {
    let first = (0..<200).map { Self.writer(seed: 1).item($0, brand: "Acma", arrivedLate: false) }
    let again = (0..<200).map { Self.writer(seed: 1).item($0, brand: "Acma", arrivedLate: false) }
    let other = (0..<200).map { Self.writer(seed: 2).item($0, brand: "Acma", arrivedLate: false) }
    #expect(first == again)
    let differing = zip(first, other).filter { $0.title != $1.title }.count
    #expect(differing > 150)
    #expect(Set(first.map(\.title)).count > 150)
    #expect(Self.writer(seed: 1).adLine(campaign: 3, itemTitle: first[0].title)
      == Self.writer(seed: 1).adLine(campaign: 3, itemTitle: first[0].title))
  }

  @Test func titlesNameTheLeafAndThePrimaryTheme() {
    let writer = Self.writer(seed: 5)
    for index in 0..<500 {
      let item = writer.item(index, brand: "Belvo", arrivedLate: true)
      let leaf = EcommerceTextVocabulary.leafCategories[item.leaf]
      #expect(leaf.nouns.contains { item.title.contains($0) }, "\(item.title)")
      let sum = item.themeWeights.reduce(0, +)
      #expect(abs(sum - 1) < 1e-6)
      let primary = item.themeWeights.indices.max { item.themeWeights[$0] < item.themeWeights[$1] } ?? 0
      #expect(EcommerceTextVocabulary.themes[primary].words.contains { item.title.contains($0) }, "\(item.title)")
      #expect(item.title.hasPrefix("Belvo "))
    }
  }

  @Test func heldBackLeavesAppearOnlyAmongLateArrivals() {
    let writer = Self.writer(seed: 9, heldBack: 4)
    let initialLeaves = Set((0..<2000).map { writer.item($0, brand: "Cor", arrivedLate: false).leaf })
    let lateLeaves = Set((0..<2000).map { writer.item($0, brand: "Cor", arrivedLate: true).leaf })
    #expect(initialLeaves == Set(0..<writer.initialLeafCount))
    #expect(lateLeaves == Set(0..<writer.leafCount))
    #expect(writer.leafCount - writer.initialLeafCount == 4)
  }
}
