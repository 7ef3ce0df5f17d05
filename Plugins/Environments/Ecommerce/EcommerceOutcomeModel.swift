import AdLabTensor
import Foundation

/// The user's response to an ad: whether a shown ad is examined, clicked and bought, with the formulas in one place
/// so serving (which caches the probabilities of every candidate), `resolve` and the oracle cannot disagree.
///
/// ```
/// P(click | slot s)      = examination[s] · σ(click_bias + interest_weight · affinity + history_weight · share
///                                              + appeal_weight · appeal + quality_weight · (quality − ½)
///                                              + theme_weight · taste[user] · themes(item)) · fatigue
/// examination[s]         = position_decay^s
/// affinity               = interest[user, top(item)] + segment_affinity[segment, leaf(item)]
/// share                  = (history items in the item's leaf) / history length
/// fatigue                = exp(−sensitivity · (ad_fatigue · E_ad + category_fatigue · E_top)),
///                          E = Σ over remembered exposures (to the ad / to its top category) of 2^(−age / half-life)
/// P(conversion | click)  = σ(conversion_bias + conversion_interest · affinity + conversion_quality · (quality − ½)
///                            − price_sensitivity[user] · (log price − median log price of the leaf) + propensity[user])
/// ```
struct EcommerceOutcomeModel {
  let examination: [Double]
  let clickBias, interestWeight, historyWeight, appealWeight, qualityWeight: Double
  let adFatigue, categoryFatigue: Double
  let conversionBias, conversionInterest, conversionQuality: Double
  /// −1 / half-life, so a weight is `exp2(age · decayRate)`.
  let decayRate: Float
  /// Exposures older than this (hours) are ignored for fatigue (their weight is below 2⁻¹²).
  let fatigueHorizon: Float

  init(_ params: EcommerceEnvironment.Params) {
    examination = (0..<params.slots).map { AdLabMath.pow(params.positionDecay, $0) }
    clickBias = params.clickBias
    interestWeight = params.interestWeight
    historyWeight = params.historyWeight
    appealWeight = params.appealWeight
    qualityWeight = params.qualityWeight
    adFatigue = params.adFatigue
    categoryFatigue = params.categoryFatigue
    conversionBias = params.conversionBias
    conversionInterest = params.conversionInterest
    conversionQuality = params.conversionQuality
    decayRate = Float(-1 / params.fatigueHalfLife)
    fatigueHorizon = Float(12 * params.fatigueHalfLife)
  }

  @inline(__always) static func sigmoid(_ z: Double) -> Double { 1 / (1 + AdLabMath.exp(-z)) }

  /// P(click) of an examined ad. The ad's constant terms come precomputed (`EcommerceAdTable`):
  /// `appealTerm = appeal_weight · appeal`, `qualityTerm = quality_weight · (quality − ½)`.
  @inline(__always) func click(
    affinity: Double, historyShare: Double, appealTerm: Double, qualityTerm: Double, themeTerm: Double,
    sensitivity: Double, adExposure: Double, categoryExposure: Double
  ) -> Double {
    // themeTerm is exactly 0 when themes are off, and z + 0 == z, so the default market is unchanged bit for bit.
    let z = clickBias + interestWeight * affinity + historyWeight * historyShare + appealTerm + qualityTerm + themeTerm
    let load = adFatigue * adExposure + categoryFatigue * categoryExposure
    let fatigue = load > 0 ? AdLabMath.exp(-sensitivity * load) : 1
    return Self.sigmoid(z) * fatigue
  }

  /// P(conversion | click), with `qualityTerm = conversion_quality · (quality − ½)` precomputed.
  @inline(__always) func conversion(
    affinity: Double, qualityTerm: Double, priceSensitivity: Double, relativeLogPrice: Double, propensity: Double
  ) -> Double {
    Self.sigmoid(
      conversionBias + conversionInterest * affinity + qualityTerm - priceSensitivity * relativeLogPrice + propensity)
  }
}
