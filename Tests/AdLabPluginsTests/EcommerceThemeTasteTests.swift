import AdLabCore
import Testing

@testable import AdLabEnvironments

/// Text themes in the click model: off by default, and when on, a user's taste for a theme raises clicks on the
/// ads whose item titles speak to it.
struct EcommerceThemeTasteTests {
  typealias Support = EcommerceTestSupport

  @Test func themesAreOffByDefault() {
    #expect(Support.make().themeTastes == nil)
    #expect(Support.make { $0.themeWeight = 1 }.themeTastes != nil)
  }

  @Test func usersWhoLikeOutdoorClickOutdoorAdsMore() throws {
    let env = Support.make { p in
      Support.unconstrained(&p)
      p.themeWeight = 3
      p.clickBias = -2
    }
    let tastes = try #require(env.themeTastes)
    let outdoor = try #require(EcommerceTextVocabulary.themes.firstIndex { $0.name == "outdoor" })
    func isOutdoorAd(_ ad: Int) -> Bool { tastes.adMix[ad * tastes.themeCount + outdoor] >= 0.7 }
    func outdoorTaste(_ user: Int) -> Float { tastes.userTaste[user * tastes.themeCount + outdoor] }
    #expect((0..<env.adCount).contains(where: isOutdoorAd))
    // Impressions and clicks on outdoor ads, for users who like (taste > 0.5) and dislike (< −0.5) the theme.
    var shown = [0.0, 0.0], clicked = [0.0, 0.0]
    Support.run(
      env, batches: 60, size: 200,
      visit: { batch, actions, outcomes in
        let k = batch.candidateCount, slots = batch.slotCount
        for i in 0..<batch.count {
          let taste = outdoorTaste(Int(batch.userIDs[i]))
          guard abs(taste) > 0.5 else { continue }
          let group = taste > 0 ? 0 : 1
          for s in 0..<slots where actions[i * slots + s] != DecisionBatch.noAd {
            let ad = Int(batch.candidateIDs[i * k + Int(actions[i * slots + s])])
            guard isOutdoorAd(ad), outcomes.impressions[i * slots + s] > 0 else { continue }
            shown[group] += 1
            clicked[group] += Double(outcomes.clicks[i * slots + s])
          }
        }
      })
    #expect(shown[0] > 200 && shown[1] > 200)
    let likersCTR = clicked[0] / shown[0], dislikersCTR = clicked[1] / shown[1]
    #expect(likersCTR > 1.5 * dislikersCTR, "CTR on outdoor ads: \(likersCTR) (likers) vs \(dislikersCTR) (dislikers)")
  }
}
