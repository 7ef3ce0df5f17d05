import AdLabTensor
import Testing

@testable import AdLabEnvironments

/// The market's product language: vocabulary coverage, deterministic titles that name their leaf and themes.
struct EcommerceTextWriterTests {
  private static func writer(seed: UInt64) -> EcommerceTextWriter {
    EcommerceTextWriter(key: StreamKey(seed: seed).child("text"))
  }

  @Test func vocabularyIsLargeAndCoversManyLeavesAndThemes() {
    #expect(EcommerceTextVocabulary.allEntries.count >= 300)
    #expect(EcommerceTextVocabulary.leafCategories.count >= 20)
    #expect((8...12).contains(EcommerceTextVocabulary.themes.count))
    #expect(
      Set(EcommerceTextVocabulary.leafCategories.map(\.name)).count == EcommerceTextVocabulary.leafCategories.count)
    #expect(Set(EcommerceTextVocabulary.themes.map(\.name)).count == EcommerceTextVocabulary.themes.count)
    // A theme word shared with another theme would blur which taste a title speaks to.
    let themeWords = EcommerceTextVocabulary.themes.flatMap(\.words)
    #expect(Set(themeWords).count == themeWords.count)
  }

  @Test func titlesAreDeterministicPerSeedAndDifferAcrossSeeds() {
    let leaves = EcommerceTextVocabulary.leafCategories.count
    let first = (0..<200).map { Self.writer(seed: 1).item($0, leaf: $0 % leaves) }
    let again = (0..<200).map { Self.writer(seed: 1).item($0, leaf: $0 % leaves) }
    let other = (0..<200).map { Self.writer(seed: 2).item($0, leaf: $0 % leaves) }
    #expect(first == again)
    let differing = zip(first, other).filter { $0.title != $1.title }.count
    #expect(differing > 150)
    #expect(Set(first.map(\.title)).count > 150)
    #expect(
      Self.writer(seed: 1).adLine(campaign: 3, itemTitle: first[0].title)
        == Self.writer(seed: 1).adLine(campaign: 3, itemTitle: first[0].title))
  }

  @Test func titlesNameTheLeafAndThePrimaryTheme() {
    let writer = Self.writer(seed: 5)
    for index in 0..<500 {
      let leafIndex = index % EcommerceTextVocabulary.leafCategories.count
      let item = writer.item(index, leaf: leafIndex)
      let leaf = EcommerceTextVocabulary.leafCategories[leafIndex]
      #expect(leaf.nouns.contains { item.title.contains($0) }, "\(item.title)")
      let sum = item.themeWeights.reduce(0, +)
      #expect(abs(sum - 1) < 1e-6)
      let primary = item.themeWeights.indices.max { item.themeWeights[$0] < item.themeWeights[$1] } ?? 0
      #expect(EcommerceTextVocabulary.themes[primary].words.contains { item.title.contains($0) }, "\(item.title)")
    }
  }
}
