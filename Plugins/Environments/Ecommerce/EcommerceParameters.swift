import AdLabCore

extension EcommerceEnvironment {
  /// Every number of the e-commerce market, typed and documented; `adlab plugins environment` lists them.
  ///
  /// Defaults describe a mid-sized shop: 100k users in 8 segments, 10 × 5 categories, 10k items, 500 ads,
  /// 3 ad slots per page view and 10 retrieved candidates, CTRs of a few percent, conversion rates after a click of
  /// a few percent and an ROI around 1. At the default traffic budgets rarely bind; lower `daily_budget` (or raise
  /// `page_views_per_day`) for a budget-constrained market.
  public struct Params: PluginParameters {
    // Population
    public var users = 100_000
    public var segments = 8
    public var interestSD = 1.0
    public var segmentAffinitySD = 0.5
    public var priceSensitivity = 1.0
    public var priceSensitivitySD = 0.5
    public var fatigueSensitivitySD = 0.3
    public var propensitySD = 0.5
    public var history = 10
    // Catalog
    public var topCategories = 10
    public var subcategories = 5
    public var items = 10_000
    public var brands = 200
    public var priceMin = 5.0
    public var priceMax = 200.0
    public var priceSigma = 0.6
    public var marginMin = 0.1
    public var marginMax = 0.4
    // Campaigns and auction
    public var ads = 500
    public var maxCreatives = 3
    public var cpcShare = 0.7
    public var cpcBid = 0.3
    public var cpmBid = 5.0
    public var bidSigma = 0.4
    public var dailyBudget = 1.0
    public var budgetSigma = 0.5
    public var auction = "second-price"
    public var competingBid = 0.003
    public var competingSigma = 0.8
    public var auctionCTR = 0.02
    // Page views and time
    public var slots = 3
    public var candidates = 10
    public var targetedShare = 0.6
    public var positionDecay = 0.6
    public var pageViewsPerDay = 20_000
    public var sessionContinue = 0.6
    public var hourConcentration = 1.5
    public var hourSpread = 2.0
    public var returnProbability = 0.9
    public var churnPerAd = 0.05
    public var adTolerance = 3
    public var dormancyDays = 3.0
    // Outcomes
    public var clickBias = -4.0
    public var interestWeight = 1.0
    public var historyWeight = 3.0
    public var appealWeight = 0.5
    public var qualityWeight = 1.0
    public var fatigueHalfLife = 6.0
    public var adFatigue = 0.4
    public var categoryFatigue = 0.1
    public var frequencyWindow = 24.0
    public var exposureMemory = 32
    public var conversionBias = -3.5
    public var conversionInterest = 0.5
    public var conversionQuality = 1.0
    public var driftSD = 0.0
    public var themeWeight = 0.0
    public var themeTasteSD = 1.0
    // Arrivals and text (EcommerceParameters+Arrivals.swift)
    public var newItemsPerDay = 0
    public var newCampaignsPerDay = 0
    public var newLeaves = 0
    public var newItemDays = 3.0
    public var textFeatures = false
    public var textSeed = 1

    public init() {}

    public static var fields: [ParameterField<Params>] {
      population + catalog + campaigns + traffic + outcomes + arrivals
    }

    static var population: [ParameterField<Params>] {
      [
        .init(
          "users", \.users, doc: "users in the population (memory is about 350 bytes per user with the defaults)",
          .range(1...20_000_000)),
        .init(
          "segments", \.segments, doc: "user segments; each has its own category affinities and hour-of-day profile",
          .range(1...64)),
        .init(
          "interest_sd", \.interestSD, doc: "SD of a user's latent interest in each top category (logit scale)",
          .range(0...10)),
        .init(
          "segment_affinity_sd", \.segmentAffinitySD,
          doc: "SD of a segment's affinity to each subcategory (logit scale)", .range(0...10)),
        .init(
          "price_sensitivity", \.priceSensitivity,
          doc:
            "mean of the users' price sensitivity: conversion logit falls by it per unit of log price above the category's median",
          .range(0...10)),
        .init(
          "price_sensitivity_sd", \.priceSensitivitySD,
          doc: "log-normal spread of the users' price sensitivity around its mean", .range(0...3)),
        .init(
          "fatigue_sensitivity_sd", \.fatigueSensitivitySD,
          doc: "log-normal spread of the users' fatigue sensitivity around 1", .range(0...3)),
        .init(
          "propensity_sd", \.propensitySD, doc: "SD of a user's purchase propensity (added to the conversion logit)",
          .range(0...10)),
        .init(
          "history", \.history,
          doc: "length of the behaviour history (recent viewed, clicked and bought items), a ring buffer per user",
          .range(1...256)),
      ]
    }

    static var catalog: [ParameterField<Params>] {
      [
        .init("top_categories", \.topCategories, doc: "top-level categories of the catalog", .range(1...256)),
        .init("subcategories", \.subcategories, doc: "subcategories per top category", .range(1...64)),
        .init("items", \.items, doc: "items in the catalog (spread evenly over subcategories)", .range(1...10_000_000)),
        .init("brands", \.brands, doc: "brands items belong to", .range(1...65_535)),
        .init(
          "price_min", \.priceMin,
          doc: "lowest median price of a subcategory (medians are log-uniform between min and max)", .greaterThan(0)),
        .init("price_max", \.priceMax, doc: "highest median price of a subcategory", .greaterThan(0)),
        .init(
          "price_sigma", \.priceSigma, doc: "log-normal σ of item prices around their subcategory's median",
          .range(0...3)),
        .init(
          "margin_min", \.marginMin, doc: "lowest margin rate (margin = price × rate, uniform between min and max)",
          .range(0...1)),
        .init("margin_max", \.marginMax, doc: "highest margin rate", .range(0...1)),
      ]
    }

    static var campaigns: [ParameterField<Params>] {
      [
        .init(
          "ads", \.ads, doc: "ads (campaigns), each promoting one item; the environment's adCount", .range(1...65_535)),
        .init(
          "max_creatives", \.maxCreatives,
          doc: "creatives per ad, drawn uniformly in 1...max; each has a latent appeal", .range(1...64)),
        .init(
          "cpc_share", \.cpcShare, doc: "share of ads that bid per click (the others bid per thousand impressions)",
          .range(0...1)),
        .init("cpc_bid", \.cpcBid, doc: "median bid of CPC ads, per click", .greaterThan(0)),
        .init("cpm_bid", \.cpmBid, doc: "median bid of CPM ads, per thousand impressions", .greaterThan(0)),
        .init("bid_sigma", \.bidSigma, doc: "log-normal σ of bids around their median", .range(0...3)),
        .init(
          "daily_budget", \.dailyBudget,
          doc: "median daily budget of an ad, released at the first page view of each simulated day", .greaterThan(0)),
        .init("budget_sigma", \.budgetSigma, doc: "log-normal σ of daily budgets", .range(0...3)),
        .init(
          "auction", \.auction,
          doc: "second-price: pay the competing bid (capped at the own bid); first-price: pay the own bid",
          .oneOf(["second-price", "first-price"])),
        .init(
          "competing_bid", \.competingBid,
          doc:
            "median of the competing bid per impression, drawn per (step, slot); an ad whose bid per impression is lower loses the slot",
          .atLeast(0)),
        .init("competing_sigma", \.competingSigma, doc: "log-normal σ of the competing bid", .range(0...3)),
        .init(
          "auction_ctr", \.auctionCTR,
          doc: "click-through rate the auction assumes to turn a CPC bid into a bid per impression", .openClosed(0, 1)),
      ]
    }

    static var traffic: [ParameterField<Params>] {
      [
        .init("slots", \.slots, doc: "ad slots per page view", .range(1...16)),
        .init("candidates", \.candidates, doc: "candidate ads retrieved per page view", .range(1...64)),
        .init(
          "targeted_share", \.targetedShare,
          doc:
            "share of candidates retrieved from the top category of the item the user views (the rest from all ads with budget)",
          .range(0...1)),
        .init(
          "position_decay", \.positionDecay,
          doc: "examination probability of slot s is position_decay^s (slot 0 is always examined)", .openClosed(0, 1)),
        .init(
          "page_views_per_day", \.pageViewsPerDay, doc: "steps (page views) per simulated day: sets the clock",
          .range(1...1_000_000_000)),
        .init(
          "session_continue", \.sessionContinue,
          doc: "probability that a page view continues the previous page view's session", .range(0...0.99)),
        .init(
          "hour_concentration", \.hourConcentration,
          doc: "how peaked each hour-of-day activity profile is (von Mises κ; 0 is flat)", .range(0...20)),
        .init(
          "hour_spread", \.hourSpread, doc: "SD in hours of a user's activity peak around the segment's", .range(0...12)
        ),
        .init(
          "return_probability", \.returnProbability,
          doc: "probability a user is available again the day after a visit, before ad-load churn", .range(0...1)),
        .init(
          "churn_per_ad", \.churnPerAd,
          doc: "return probability is multiplied by exp(−churn_per_ad · max(0, ads that day − ad_tolerance))",
          .range(0...10)),
        .init(
          "ad_tolerance", \.adTolerance, doc: "ads per day a user takes without returning less often", .range(0...1000)),
        .init(
          "dormancy_days", \.dormancyDays, doc: "mean extra days a user who does not return stays away (geometric)",
          .range(1...1000)),
      ]
    }

    static var outcomes: [ParameterField<Params>] {
      [
        .init("click_bias", \.clickBias, doc: "click logit intercept for an examined ad", .range(-20...20)),
        .init(
          "interest_weight", \.interestWeight,
          doc: "weight of the user's affinity to the item's category in the click logit", .range(0...20)),
        .init(
          "history_weight", \.historyWeight,
          doc: "weight of the share of the user's history in the item's subcategory in the click logit", .range(0...20)),
        .init(
          "appeal_weight", \.appealWeight, doc: "weight of the creative's latent appeal in the click logit",
          .range(0...20)),
        .init(
          "quality_weight", \.qualityWeight, doc: "weight of item quality (centred) in the click logit", .range(0...20)),
        .init(
          "fatigue_half_life", \.fatigueHalfLife, doc: "half-life in simulated hours of an exposure's fatigue effect",
          .greaterThan(0)),
        .init(
          "ad_fatigue", \.adFatigue,
          doc:
            "click probability is multiplied by exp(−sensitivity · (ad_fatigue · decayed exposures to the ad + category_fatigue · to its top category))",
          .range(0...20)),
        .init(
          "category_fatigue", \.categoryFatigue, doc: "fatigue per decayed exposure to an ad of the same top category",
          .range(0...20)),
        .init(
          "frequency_window", \.frequencyWindow,
          doc: "hours counted by the frequency column and the recent_exposures and ad_exposures features",
          .greaterThan(0)),
        .init(
          "exposure_memory", \.exposureMemory,
          doc: "ad exposures remembered per user (ring buffer); frequency counts saturate at it", .range(1...255)),
        .init("conversion_bias", \.conversionBias, doc: "conversion-after-click logit intercept", .range(-20...20)),
        .init(
          "conversion_interest", \.conversionInterest, doc: "weight of category affinity in the conversion logit",
          .range(0...20)),
        .init(
          "conversion_quality", \.conversionQuality, doc: "weight of item quality (centred) in the conversion logit",
          .range(0...20)),
        .init(
          "theme_weight", \.themeWeight,
          doc:
            "weight of the user's taste for the ad's item's text themes (outdoor, tech, eco, …; the words of its title) in the click logit; 0 leaves the market text-blind",
          .range(0...20)),
        .init(
          "theme_taste_sd", \.themeTasteSD,
          doc: "SD of a user's taste for each text theme (logit scale, used when theme_weight > 0)", .range(0...10)),
        .init(
          "drift_sd", \.driftSD,
          doc: "non-stationary interests: SD per √day of a random walk of every user interest (0: stationary)",
          .range(0...10)),
      ]
    }

    public func crossFieldProblems() -> [String] {
      var problems: [String] = []
      if candidates < slots {
        problems.append(
          "candidates (\(candidates)) must be at least slots (\(slots)): each slot shows a different candidate")
      }
      if ads < candidates {
        problems.append("ads (\(ads)) must be at least candidates (\(candidates)): candidates are distinct ads")
      }
      if items < topCategories * subcategories {
        problems.append(
          "items (\(items)) must be at least top_categories × subcategories (\(topCategories * subcategories)): every subcategory needs an item"
        )
      }
      if priceMax < priceMin { problems.append("price_max (\(priceMax)) must be at least price_min (\(priceMin))") }
      if marginMax < marginMin {
        problems.append("margin_max (\(marginMax)) must be at least margin_min (\(marginMin))")
      }
      problems += arrivalProblems()
      return problems
    }

    /// Number of leaf categories (top categories × subcategories).
    var leafCategories: Int { topCategories * subcategories }
  }
}
