import AdLabCore

/// The platform's books: each ad's remaining budget today, which ads can still be served, and the market
/// counters (budget released, user-days, returns, ads per user-day) the runner reads after every batch.
///
/// **Budgets.** At the first page view of each simulated day every ad gets its daily budget back (unspent budget
/// does not carry over) and the release is added to `MarketCounters.budget`. An ad is *servable* while its
/// remaining budget covers its largest possible charge; retrieval picks candidates among servable ads, and
/// `resolve` withholds an ad that stopped being servable within the batch, so spend never exceeds the budget.
///
/// **Returns.** A user-day of day d is settled when day d + 1 ends: it counts in `retentionBase`, and in
/// `retained` when the user also had a page view on day d + 1.
///
/// Its mutable state opts out of dynamic exclusivity checks: a ledger belongs to one environment, used by one thread,
/// and serving and resolving touch it per page view and per impression.
final class EcommerceLedger {
  let remaining: UnsafeMutablePointer<Double>
  let adCount: Int
  @exclusivity(unchecked) private(set) var counters = MarketCounters()
  @exclusivity(unchecked) private(set) var currentDay = -1
  /// Active users per day and, of them, those also active the day before.
  private var usersOn: [Double] = []
  private var returnedOn: [Double] = []
  /// Set when an ad stops being servable (or budgets are released), so the retrieval lists are rebuilt.
  @exclusivity(unchecked) var servableChanged = true
  /// Servable ads, all and per top category (`byTop[topStart[t] ..< topStart[t + 1]]`).
  @exclusivity(unchecked) private(set) var servable: [Int32] = []
  @exclusivity(unchecked) private(set) var byTop: [Int32] = []
  @exclusivity(unchecked) private(set) var topStart: [Int32] = []

  init(adCount: Int) {
    self.adCount = adCount
    remaining = .allocate(capacity: max(adCount, 1))
    remaining.initialize(repeating: 0, count: max(adCount, 1))
  }

  deinit { remaining.deallocate() }

  /// Whether the ad's remaining budget covers one more charge of at most `maxCharge`.
  @inline(__always) func canServe(_ ad: Int, maxCharge: Double) -> Bool { remaining[ad] >= maxCharge }

  /// Advances the books to `day`: settles returns of the days that ended and releases every day's budget to the
  /// `activeAds` ads present (ids below it; campaigns that launch later get theirs from `launch`).
  func advance(to day: Int, campaigns: EcommerceCampaigns, activeAds: Int) {
    while currentDay < day {
      currentDay += 1
      usersOn.append(0)
      returnedOn.append(0)
      // Day currentDay − 2 is settled now that day currentDay − 1 has ended.
      let settled = currentDay - 2
      if settled >= 0 {
        counters.retentionBase += usersOn[settled]
        counters.retained += returnedOn[settled + 1]
      }
      for a in 0..<activeAds {
        remaining[a] = campaigns.dailyBudget[a]
        counters.budget += campaigns.dailyBudget[a]
      }
      servableChanged = true
    }
  }

  /// Gives ads `ads` (launched during the current day) their daily budget and rebuilds the lists.
  func launch(_ ads: Range<Int>, campaigns: EcommerceCampaigns) {
    for a in ads {
      remaining[a] = campaigns.dailyBudget[a]
      counters.budget += campaigns.dailyBudget[a]
    }
    servableChanged = true
  }

  /// Counts a user's first page view of the current day; `returning` when they were active the day before.
  func beginUserDay(returning: Bool) {
    counters.userDays += 1
    counters.frequencyHistogram[0] += 1
    usersOn[currentDay] += 1
    if returning { returnedOn[currentDay] += 1 }
  }

  /// Moves a user-day from the bucket of `before` ads to the bucket of `before + 1`.
  @inline(__always) func countAd(before: Int) {
    let from = MarketCounters.bucket(ads: before), to = MarketCounters.bucket(ads: before + 1)
    if from != to {
      counters.frequencyHistogram[from] -= 1
      counters.frequencyHistogram[to] += 1
    }
  }

  /// Charges `amount` to the ad; marks the lists stale when it can no longer pay `maxCharge`.
  @inline(__always) func charge(_ ad: Int, _ amount: Double, maxCharge: Double) {
    remaining[ad] -= amount
    if remaining[ad] < maxCharge { servableChanged = true }
  }

  /// Rebuilds the servable lists when something changed; only the `activeAds` present ads are candidates.
  func refreshServable(campaigns: EcommerceCampaigns, topCategories: Int, activeAds: Int) {
    guard servableChanged else { return }
    servableChanged = false
    servable.removeAll(keepingCapacity: true)
    var counts = [Int32](repeating: 0, count: topCategories + 1)
    for a in 0..<activeAds where canServe(a, maxCharge: campaigns.maxCharge[a]) {
      servable.append(Int32(a))
      counts[Int(campaigns.topCategory[a]) + 1] += 1
    }
    for t in 0..<topCategories { counts[t + 1] += counts[t] }
    topStart = counts
    byTop = [Int32](repeating: 0, count: servable.count)
    var fill = counts
    for a in servable {
      let t = Int(campaigns.topCategory[Int(a)])
      byTop[Int(fill[t])] = a
      fill[t] += 1
    }
  }
}
