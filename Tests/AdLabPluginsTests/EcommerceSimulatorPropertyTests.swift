import AdLabCore
import AdLabTensor
import Foundation
import Testing

@testable import AdLabEnvironments

/// The simulator behaves as its parameters say, checked statistically (bounds of 5 standard deviations, so a
/// correct simulator fails about once in a million runs; every run is seeded, so a pass is a pass forever).
struct EcommerceSimulatorPropertyTests {
  typealias Support = EcommerceTestSupport

  @Test func clickThroughRateBySlotFollowsThePositionBiasCurve() {
    // Every decision's three candidates rotate through the three slots, so each slot sees the same ads and the
    // CTR ratio between slots is the examination ratio position_decay^s.
    let env = Support.make {
      Support.unconstrained(&$0)
      $0.adFatigue = 0
      $0.categoryFatigue = 0
      $0.clickBias = -1
      $0.positionDecay = 0.6
    }
    var clicks = [Double](repeating: 0, count: 3)
    let n = 4000
    let batch = env.nextBatch(firstStep: 0, count: n)
    var outcomes = OutcomeBatch(count: batch.actionCount)
    for shift in 0..<3 {
      let actions = Support.fill(batch, shift: shift)
      actions.withUnsafeBufferPointer { env.resolve(batch, actions: $0, into: &outcomes) }
      for i in 0..<batch.count { for s in 0..<3 { clicks[s] += outcomes.clicks[i * 3 + s] } }
    }
    for s in 1..<3 {
      let ratio = clicks[s] / clicks[0], expected = pow(0.6, Double(s))
      // Delta-method standard error of a ratio of two Poisson-like counts.
      let se = ratio * (1 / clicks[s] + 1 / clicks[0]).squareRoot()
      #expect(abs(ratio - expected) < 5 * se, "slot \(s): CTR ratio \(ratio), expected \(expected)")
    }
  }

  @Test func clickProbabilityDecaysWithRecentExposuresToTheAd() {
    // One ad, one slot, an effectively infinite half-life and window: the fatigue factor after n earlier
    // exposures is exactly exp(−ad_fatigue · n), and nothing else about a user depends on n.
    let fatigue = 0.4
    let env = Support.make {
      Support.unconstrained(&$0)
      $0.ads = 1
      $0.candidates = 1
      $0.slots = 1
      $0.users = 6000
      $0.segments = 1
      $0.hourConcentration = 0
      $0.pageViewsPerDay = 1_000_000
      $0.historyWeight = 0
      $0.maxCreatives = 1
      $0.clickBias = -0.5
      $0.adFatigue = fatigue
      $0.categoryFatigue = 0
      $0.fatigueSensitivitySD = 0
      $0.fatigueHalfLife = 1e9
      $0.frequencyWindow = 1e9
    }
    var clicks = [Double](repeating: 0, count: 3), shown = clicks
    let column = env.featureSchema.columns(of: "ad_exposures")!.lowerBound
    Support.run(env, batches: 60, size: 250, actions: { Support.fill($0) }) { batch, _, outcomes in
      for i in 0..<batch.count {
        let n = Int(batch.features.candidateDense[i * 4 + column])
        guard n < 3 else { continue }
        clicks[n] += outcomes.clicks[i]
        shown[n] += 1
      }
    }
    let base = clicks[0] / shown[0]
    for n in 1..<3 {
      let rate = clicks[n] / shown[n], ratio = rate / base, expected = exp(-fatigue * Double(n))
      let se = ratio * ((1 - rate) / clicks[n] + (1 - base) / clicks[0]).squareRoot()
      #expect(
        abs(ratio - expected) < 5 * se, "after \(n) exposures: CTR ratio \(ratio), expected \(expected) (± \(se))")
    }
  }

  @Test func conversionRateFallsWithRelativePriceAsParameterised() {
    // Only price matters for conversion here: P(conv | click) = σ(bias − (log price − median log price)).
    let bias = 0.0
    let env = Support.make {
      Support.unconstrained(&$0)
      $0.clickBias = 1
      $0.conversionBias = bias
      $0.conversionInterest = 0
      $0.conversionQuality = 0
      $0.propensitySD = 0
      $0.priceSensitivity = 1
      $0.priceSensitivitySD = 0
      $0.priceSigma = 1
    }
    // Bins of relative log price: below −0.5, −0.5…0.5, above 0.5.
    var conversions = [Double](repeating: 0, count: 3), probabilities = [[Double]](repeating: [], count: 3)
    Support.run(env, batches: 8, size: 1000, actions: { Support.fill($0) }) { batch, actions, outcomes in
      for e in 0..<actions.count where outcomes.clicks[e] > 0 {
        let ad = batch.adID(decision: e / 3, candidate: Int(actions[e]))
        let item = Int(env.campaigns.item[ad])
        let relative = Double(env.catalog.logPrice[item] - env.catalog.medianLogPrice[Int(env.catalog.leaf[item])])
        let bin = relative < -0.5 ? 0 : (relative > 0.5 ? 2 : 1)
        conversions[bin] += outcomes.conversions[e]
        probabilities[bin].append(1 / (1 + exp(-(bias - relative))))
      }
    }
    for bin in 0..<3 {
      #expect(probabilities[bin].count > 100)
      #expect(Support.withinBounds(observed: conversions[bin], probabilities: probabilities[bin]), "bin \(bin)")
    }
    #expect(conversions[0] / Double(probabilities[0].count) > conversions[2] / Double(probabilities[2].count) + 0.2)
  }

  @Test func arrivalsFollowTheHourProfiles() {
    // No churn and no session continuation: every step is a fresh draw, so the segment mix at hour h is the
    // classes' size × profile weights, computed here from the parameters and the users' activity classes.
    let concentration = 2.0
    let env = Support.make {
      $0.segments = 4
      $0.users = 3000
      $0.pageViewsPerDay = 12_000
      $0.sessionContinue = 0
      $0.returnProbability = 1
      $0.churnPerAd = 0
      $0.hourConcentration = concentration
    }
    var sizes = [Double](repeating: 0, count: 4 * 24)
    for u in 0..<3000 { sizes[Int(env.users.activityClass[u])] += 1 }
    var observed = [Double](repeating: 0, count: 24 * 4), perHour = [Double](repeating: 0, count: 24)
    let batch = env.nextBatch(firstStep: 0, count: 12_000)
    for i in 0..<batch.count {
      let hour = Int(batch.features.decisionCategorical[i * 3 + 2]),
        segment = Int(batch.features.decisionCategorical[i * 3 + 1])
      observed[hour * 4 + segment] += 1
      perHour[hour] += 1
    }
    var traffic = [Double](repeating: 0, count: 24)
    for h in 0..<24 {
      var weights = [Double](repeating: 0, count: 4)
      for c in 0..<(4 * 24) {
        weights[c / 24] += sizes[c] * exp(concentration * (cos(2 * Double.pi * Double(h - c % 24) / 24) - 1))
      }
      traffic[h] = weights.reduce(0, +)
      for s in 0..<4 {
        let p = weights[s] / traffic[h]
        let sd = (perHour[h] * p * (1 - p)).squareRoot()
        #expect(abs(observed[h * 4 + s] - perHour[h] * p) <= 5 * sd + 1, "hour \(h) segment \(s)")
      }
    }
    // Steps are spread over hours in proportion to total activity.
    let total = traffic.reduce(0, +)
    for h in 0..<24 { #expect(abs(perHour[h] - 12_000 * traffic[h] / total) <= 1.5, "hour \(h)") }
  }

  @Test func budgetsAreNeverOverspent() {
    for auction in ["second-price", "first-price"] {
      let env = Support.make {
        $0.ads = 20
        $0.dailyBudget = 0.4
        $0.budgetSigma = 0.5
        $0.auction = auction
        $0.pageViewsPerDay = 1000
        // Every user always available, so every step is a page view and the traffic that spends budgets is fixed.
        $0.returnProbability = 1
        $0.churnPerAd = 0
      }
      var spend = [Double](repeating: 0, count: 20 * 4)
      Support.run(env, batches: 40, size: 100, actions: { Support.fill($0) }) { batch, actions, outcomes in
        for e in 0..<actions.count where outcomes.cost[e] > 0 {
          let ad = batch.adID(decision: e / 3, candidate: Int(actions[e]))
          spend[(batch.steps[e / 3] / 1000) * 20 + ad] += outcomes.cost[e]
        }
      }
      for day in 0..<4 {
        for ad in 0..<20 {
          #expect(spend[day * 20 + ad] <= env.campaigns.dailyBudget[ad] + 1e-9, "\(auction): ad \(ad) day \(day)")
        }
      }
      let exhausted = (0..<20).filter { spend[3 * 20 + $0] > 0.8 * env.campaigns.dailyBudget[$0] }.count
      #expect(exhausted > 5, "tight budgets bind (\(exhausted) of 20 ads spent most of their budget)")
      let released = env.marketCounters()!.budget
      #expect(abs(released - 4 * env.campaigns.dailyBudget.reduce(0, +)) < 1e-6)
    }
  }

  @Test func marketCountersTrackUserDaysReturnsAndAdLoad() {
    func counters(adsShown: Bool) -> MarketCounters {
      let env = Support.make {
        $0.users = 500
        $0.pageViewsPerDay = 1000
        $0.churnPerAd = 0.5
        $0.adTolerance = 1
      }
      Support.run(
        env, batches: 60, size: 100,
        actions: {
          adsShown ? Support.fill($0) : [Int32](repeating: DecisionBatch.noAd, count: $0.actionCount)
        })
      return env.marketCounters()!
    }
    let quiet = counters(adsShown: false), loud = counters(adsShown: true)
    for c in [quiet, loud] {
      #expect(c.userDays > 0 && abs(c.frequencyHistogram.sum() - c.userDays) < 1e-9)
      #expect(c.retentionBase > 0 && c.retained <= c.retentionBase)
    }
    #expect(quiet.frequencyHistogram[0] == quiet.userDays)
    #expect(loud.frequencyHistogram[0] < loud.userDays / 2)
    #expect(
      loud.retained / loud.retentionBase < quiet.retained / quiet.retentionBase - 0.05,
      "heavy ad load lowers the return rate")
  }
}
