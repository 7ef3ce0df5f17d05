import AdLabCore
import AdLabTensor
import CAdLabPrefetch
import Foundation

extension EcommerceEnvironment {
  /// Serves the page views of steps `firstStep ..< firstStep + count`: advances the clock (releasing budgets at
  /// day starts), draws who the timeline brings at each step, and — when that user is not away — lets them browse
  /// an item, retrieves candidates and computes every feature and every candidate's click and conversion
  /// probability from the market as it stands now. A step whose user is away (churned after a day of heavy ad
  /// load) has no page view, so the batch may hold fewer than `count` decisions; its `steps` say which.
  public func nextBatch(firstStep: Int, count: Int) -> DecisionBatch {
    let k = candidateCount, slots = slotCount, h = params.history
    let b = buffers
    b.prepare(
      count: count, candidates: k, slots: slots, history: h, firstStep: firstStep, decisionDense: decisionDenseColumns,
      candidateDense: candidateDenseColumns)
    // Sequences are padded with 0 after each history, so clear them; every other column is fully rewritten.
    b.sequences.pointer.update(repeating: 0, count: count * h)
    // Pass 1, the population timeline (independent of the market's state): every step's uniforms and who the
    // step brings. Knowing the users ahead lets pass 2 prefetch their rows while it serves earlier steps, since a
    // page view is bound by the memory latency of its user's scattered rows at 100k+ users.
    let uniformCount = uniformsPerStep
    let uniforms = b.uniforms.pointer, drawn = b.drawnUser.pointer, continuing = b.continuing.pointer
    for s in 0..<count {
      let step = firstStep + s, block = uniforms + s * uniformCount
      CounterRandom.uniforms(
        key: keys.browse, a: UInt64(step), count: uniformCount,
        into: UnsafeMutableBufferPointer(start: block, count: uniformCount))
      // The previous step's user continues the session, or a new arrival is drawn.
      let continues = step == lastStep + 1 && lastUser >= 0 && block[0] < params.sessionContinue
      let u = continues ? lastUser : timeline.arrival(hour: timeline.time(of: step).hour, step: step, key: keys.arrival)
      drawn[s] = Int32(u)
      continuing[s] = continues
      lastStep = step
      lastUser = u
    }
    // Pass 2: serve the steps in order, prefetching the rows of the user a few steps ahead.
    var steps: [Int] = []
    steps.reserveCapacity(count)
    let stepPosition = b.stepPosition.pointer
    for s in 0..<count {
      if s + Self.prefetchDistance < count { prefetch(user: Int(drawn[s + Self.prefetchDistance])) }
      if serve(
        decision: steps.count, step: firstStep + s, user: Int(drawn[s]), continuing: continuing[s],
        uniforms: uniforms + s * uniformCount)
      {
        stepPosition[s] = Int32(steps.count)
        steps.append(firstStep + s)
      } else {
        stepPosition[s] = -1
      }
    }
    let n = steps.count
    var features = FeatureBatch()
    features.decisionCategorical = b.decisionCategorical.array(n * Self.decisionCategoricalWidth)
    features.candidateCategorical = b.candidateCategorical.array(n * k * Self.candidateCategoricalWidth)
    features.decisionDense = b.decisionDense.array(n * decisionDenseColumns)
    features.candidateDense = b.candidateDense.array(n * k * candidateDenseColumns)
    features.sequences = b.sequences.array(n * h)
    features.sequenceLengths = b.sequenceLengths.array(n)
    let users = UnsafeBufferPointer(start: b.user.pointer, count: n).map { UInt64($0) }
    var batch = DecisionBatch(
      steps: steps, userIDs: users, candidateCount: k, slotCount: slots, candidateIDs: b.candidateIDs.array(n * k),
      schema: featureSchema, features: features)
    if params.hasArrivals { batch.newItemCandidates = b.newItem.array(n * k) }
    return batch
  }

  /// Page views ahead whose user rows are prefetched.
  static let prefetchDistance = 3

  /// The step's uniforms: [0, 4) browsing, [4, 4 + 2·slots) competing bids, then retrieval draws. Most page views
  /// need about k retrieval draws, so k + 4 are computed in one vectorised call and any further ones singly (the
  /// same values either way: each is position (step, index) of the browse stream).
  var uniformsPerStep: Int { 4 + 2 * slotCount + candidateCount + 4 }

  /// Hints the cache to load the rows a page view of user `u` reads (a hint only: it changes no value).
  @inline(__always) func prefetch(user u: Int) {
    let t = params.topCategories, memory = users.exposureMemory
    adlab_prefetch(users.record + u)
    adlab_prefetch(users.interestWeight + u * t)
    adlab_prefetch(users.interest + u * t)
    adlab_prefetch(users.history + u * users.historyLength)
    adlab_prefetch(users.exposureAd + u * memory)
    let times = users.exposureTime + u * memory
    adlab_prefetch(times)
    if memory > 16 { adlab_prefetch(times + 16) }
  }

  /// Serves step `step` (which brings user `u`, continuing the previous step's session or not) as decision `i` of
  /// the batch; false (and nothing written) when the user is away.
  private func serve(
    decision i: Int, step: Int, user u: Int, continuing: Bool, uniforms: UnsafeMutablePointer<Double>
  ) -> Bool {
    let k = candidateCount, slots = slotCount, t = params.topCategories, leaves = params.leafCategories
    let b = buffers
    let chosen = b.chosen.pointer, historyLeaves = b.historyLeaves.pointer
    let exposureAd = b.exposureAd.pointer, exposureTop = b.exposureTop.pointer
    let exposureWeight = b.exposureWeight.pointer, exposureInWindow = b.exposureInWindow.pointer
    let adWeightTable = b.adWeight.pointer, adRecentTable = b.adRecent.pointer
    let topWeightTable = b.topWeight.pointer, leafCount = b.leafCount.pointer
    let (day, hour, hours) = timeline.time(of: step)
    if day > ledger.currentDay {
      ledger.advance(to: day, campaigns: campaigns, activeAds: arrivalState.activeAds(arrivals))
    }
    if !arrivals.isEmpty { admitArrivals(upTo: step) }
    ledger.refreshServable(campaigns: campaigns, topCategories: t, activeAds: arrivalState.activeAds(arrivals))
    let uniformCount = uniformsPerStep
    let now = Float(hours)

    // The timeline (pass 1 of `nextBatch`) is the same for every variant; the step has a page view only if its
    // user is not away. A session that had a page view at the previous step goes on; a user who was away stays
    // away until their return day.
    let present = (continuing && lastPresent) || isAvailable(user: u, day: day)
    lastPresent = present
    guard present else { return false }
    let previousDay = Int(users.record[u].lastDay)
    if previousDay != day {
      ledger.beginUserDay(returning: previousDay == day - 1)
      users.record[u].lastDay = Int32(day)
      users.record[u].adsToday = 0
    }
    users.record[u].sessionDepth = continuing ? users.record[u].sessionDepth &+ 1 : 0
    if params.driftSD > 0 { drift(user: u, day: day) }
    let segment = Int(users.record[u].segment)

    // Browsing: a top category by the user's interests, a leaf by the segment's affinities, a uniform item.
    let weights = b.interestWeights.pointer
    var total = 0.0
    for c in 0..<t {
      total += Double(users.interestWeight[u * t + c])
      weights[c] = total
    }
    var top = 0
    let target = uniforms[1] * total
    while top < t - 1 && weights[top] <= target { top += 1 }
    var leaf = top * params.subcategories
    while leaf < (top + 1) * params.subcategories - 1 && leafCumulative[segment * leaves + leaf] <= uniforms[2] {
      leaf += 1
    }
    let viewed = browsedItem(leaf: leaf, uniform: uniforms[3])
    users.remember(item: viewed, user: u)

    // The user's state as this page view sees it.
    let historyCount = Int(users.record[u].historyCount)
    let sequence = b.sequences.pointer + i * params.history
    for j in 0..<historyCount {
      let item = users.recentItem(j, user: u)
      sequence[j] = UInt64(item)
      let leaf = catalog.leaf[Int(item) - 1]
      historyLeaves[j] = Int32(leaf)
      leafCount[Int(leaf)] += 1
    }
    let windowStart = now - Float(params.frequencyWindow)
    var remembered = 0, recent = 0
    let base = u * users.exposureMemory
    for e in 0..<Int(users.record[u].exposureCount) {
      let age = now - users.exposureTime[base + e]
      let inWindow = users.exposureTime[base + e] > windowStart
      guard inWindow || age < model.fatigueHorizon else { continue }
      let ad = Int(users.exposureAd[base + e])
      exposureAd[remembered] = Int32(ad)
      exposureTop[remembered] = Int32(campaigns.topCategory[ad])
      exposureWeight[remembered] = age < model.fatigueHorizon ? Double(AdLabMath.exp2(age * model.decayRate)) : 0
      exposureInWindow[remembered] = inWindow
      adWeightTable[ad] += exposureWeight[remembered]
      topWeightTable[Int(exposureTop[remembered])] += exposureWeight[remembered]
      if inWindow {
        recent += 1
        adRecentTable[ad] += 1
      }
      remembered += 1
    }
    b.user.pointer[i] = Int32(u)
    b.time.pointer[i] = now
    b.recentExposures.pointer[i] = Int32(recent)
    let dc = b.decisionCategorical.pointer + i * Self.decisionCategoricalWidth
    let dd = b.decisionDense.pointer + i * decisionDenseColumns
    dc[0] = UInt64(u)
    dc[1] = UInt64(segment)
    dc[2] = UInt64(hour)
    dd[0] = Float(recent)
    dd[1] = min(48, now - users.record[u].lastAdTime)
    dd[2] = Float(users.record[u].sessionDepth)
    if let textEmbeddings {
      writeHistoryText(textEmbeddings, into: dd + Self.decisionDenseWidth, history: sequence, count: historyCount)
    }
    b.sequenceLengths.pointer[i] = Int32(historyCount)

    retrieve(top: top, step: step, uniforms: uniforms, precomputed: uniformCount, into: chosen)
    let interestOffset = u * t, affinityOffset = segment * leaves
    let sensitivity = Double(users.record[u].fatigueSensitivity),
      priceSensitivity = Double(users.record[u].priceSensitivity)
    let propensity = Double(users.record[u].propensity), historyScale = 1 / Double(params.history)
    let ids = b.candidateIDs.pointer, clickProbability = b.clickProbability.pointer
    let conversionProbability = b.conversionProbability.pointer, servable = b.servable.pointer
    let adRows = adTable.rows, appealTerms = adTable.appealTerm
    // Creative rotation draws (step, ad) of the candidates whose ad has several creatives, in one batched call.
    let rotatingAds = b.rotatingAds.pointer, rotation = b.rotation.pointer
    var rotating = 0
    for c in 0..<k where adRows[Int(chosen[c])].creativeCount != 1 {
      rotatingAds[rotating] = UInt64(chosen[c])
      rotating += 1
    }
    CounterRandom.uniforms(key: keys.creative, a: UInt64(step), b: rotatingAds, count: rotating, into: rotation)
    rotating = 0
    for c in 0..<k {
      let ad = Int(chosen[c]), row = i * k + c
      let r = adRows[ad]
      ids[row] = UInt64(ad)
      let itemLeaf = Int(r.leaf), itemTop = Int(r.top)
      var creative = Int(r.creativeStart)
      if r.creativeCount != 1 {
        creative += min(Int(rotation[rotating] * Double(r.creativeCount)), Int(r.creativeCount) - 1)
        rotating += 1
      }
      let adWeight = adWeightTable[ad], topWeight = topWeightTable[itemTop], adRecent = adRecentTable[ad]
      let sameLeaf = leafCount[itemLeaf]
      let affinity =
        Double(users.interest[interestOffset + itemTop]) + Double(segmentAffinity[affinityOffset + itemLeaf])
      clickProbability[row] = Float(
        model.click(
          affinity: affinity, historyShare: Double(sameLeaf) * historyScale, appealTerm: appealTerms[creative],
          qualityTerm: r.clickQualityTerm, themeTerm: themeTastes?.term(user: u, ad: ad) ?? 0, sensitivity: sensitivity,
          adExposure: adWeight, categoryExposure: topWeight))
      conversionProbability[row] = Float(
        model.conversion(
          affinity: affinity, qualityTerm: r.conversionQualityTerm, priceSensitivity: priceSensitivity,
          relativeLogPrice: r.relativeLogPrice, propensity: propensity))
      servable[row] = ledger.canServe(ad, maxCharge: r.maxCharge)
      let cc = b.candidateCategorical.pointer + row * Self.candidateCategoricalWidth
      let cd = b.candidateDense.pointer + row * candidateDenseColumns
      cc[0] = UInt64(ad)
      cc[1] = r.itemPlusOne
      cc[2] = r.leafFeature
      cc[3] = r.brand
      cc[4] = r.token0
      cc[5] = r.token1
      cc[6] = r.token2
      cc[7] = UInt64(creative)
      cd[0] = r.logPrice
      cd[1] = r.quality
      cd[2] = r.ecpm
      cd[3] = Float(adRecent)
      if candidateDenseColumns > Self.candidateDenseWidth {
        writeArrivalAndText(
          ad: ad, item: Int(r.itemPlusOne) - 1, step: step, into: cd + Self.candidateDenseWidth,
          isNew: b.newItem.pointer + row)
      }
    }
    // Clear the per-decision tables where this decision wrote.
    for e in 0..<remembered {
      adWeightTable[Int(exposureAd[e])] = 0
      adRecentTable[Int(exposureAd[e])] = 0
      topWeightTable[Int(exposureTop[e])] = 0
    }
    for j in 0..<historyCount { leafCount[Int(historyLeaves[j])] = 0 }
    // The competing bid of each slot: log-normal from a Box–Muller pair keyed by (step, slot).
    let first = 4
    for slot in 0..<slots {
      let u1 = uniforms[first + 2 * slot], u2 = uniforms[first + 2 * slot + 1]
      let normal = (-2 * AdLabMath.log(1 - u1)).squareRoot() * AdLabMath.cos(2 * Double.pi * u2)
      b.competingBid.pointer[i * slots + slot] = params.competingBid * AdLabMath.exp(params.competingSigma * normal)
    }
    return true
  }

  /// Whether a user may arrive on `day`. After a visit on day d with n ads, the user is back from day d + 1 with
  /// probability `return_probability · exp(−churn_per_ad · max(0, n − ad_tolerance))`, else after a geometric
  /// number of extra days with mean `dormancy_days`; both drawn from `(user, d)`, so the outcome is fixed once the
  /// day is over and does not depend on when the user is next drawn.
  func isAvailable(user u: Int, day: Int) -> Bool {
    let last = Int(users.record[u].lastDay)
    guard last >= 0 && last < day else { return true }
    let excess = max(0, Int(users.record[u].adsToday) - params.adTolerance)
    let p = params.returnProbability * AdLabMath.exp(-params.churnPerAd * Double(excess))
    if CounterRandom.uniform(key: keys.returns, UInt64(u), UInt64(2 * last)) < p { return true }
    let r = CounterRandom.uniform(key: keys.returns, UInt64(u), UInt64(2 * last + 1))
    let stay = params.dormancyDays <= 1 ? 0.0 : floor(AdLabMath.log(1 - r) / AdLabMath.log(1 - 1 / params.dormancyDays))
    return day >= last + 2 + Int(stay)
  }

  /// Non-stationary interests: adds the random walk of the days since the user's last drift, in one normal step
  /// of SD `drift_sd · √days` per top category, keyed by (user, day, category).
  private func drift(user u: Int, day: Int) {
    let elapsed = day - Int(users.driftDay[u])
    guard elapsed > 0 else { return }
    let t = params.topCategories, scale = params.driftSD * Double(elapsed).squareRoot()
    for c in 0..<t {
      let b = UInt64(day) &* UInt64(2 * t) &+ UInt64(2 * c)
      let u1 = CounterRandom.uniform(key: keys.drift, UInt64(u), b),
        u2 = CounterRandom.uniform(key: keys.drift, UInt64(u), b + 1)
      let normal = (-2 * AdLabMath.log(1 - u1)).squareRoot() * AdLabMath.cos(2 * Double.pi * u2)
      users.interest[u * t + c] += Float(scale * normal)
      users.interestWeight[u * t + c] = AdLabMath.exp(users.interest[u * t + c])
    }
    users.driftDay[u] = Int32(day)
  }

  /// Retrieval: `targeted_share` of the candidates from servable ads of the browsed item's top category, the rest
  /// from all servable ads, distinct, by the step's uniforms; when the draws run out (few servable ads), the rest
  /// is filled in id order with servable ads and then with exhausted ones (which are withheld if chosen).
  private func retrieve(
    top: Int, step: Int, uniforms: UnsafeMutablePointer<Double>, precomputed: Int,
    into chosen: UnsafeMutablePointer<Int32>
  ) {
    let k = candidateCount
    var filled = 0
    func contains(_ ad: Int32) -> Bool {
      for j in 0..<filled where chosen[j] == ad { return true }
      return false
    }
    let targeted = Int((Double(k) * params.targetedShare).rounded())
    let all = ledger.servable, byTop = ledger.byTop
    let topFirst = Int(ledger.topStart[top]), topCount = Int(ledger.topStart[top + 1]) - topFirst
    var draw = 0
    while filled < k && draw < 3 * k {
      let position = 4 + 2 * slotCount + draw
      let u =
        position < precomputed
        ? uniforms[position] : CounterRandom.uniform(key: keys.browse, UInt64(step), UInt64(position))
      draw += 1
      let ad: Int32
      if filled < targeted && topCount > 0 {
        ad = byTop[topFirst + min(Int(u * Double(topCount)), topCount - 1)]
      } else if !all.isEmpty {
        ad = all[min(Int(u * Double(all.count)), all.count - 1)]
      } else {
        break
      }
      if !contains(ad) {
        chosen[filled] = ad
        filled += 1
      }
    }
    var next = 0
    while filled < k && next < all.count {
      if !contains(all[next]) {
        chosen[filled] = all[next]
        filled += 1
      }
      next += 1
    }
    var ad: Int32 = 0
    while filled < k {
      if !contains(ad) {
        chosen[filled] = ad
        filled += 1
      }
      ad += 1
    }
  }
}
