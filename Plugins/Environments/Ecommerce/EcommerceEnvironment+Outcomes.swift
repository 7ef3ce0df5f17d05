import AdLabCore
import AdLabTensor
import Foundation

extension EcommerceEnvironment {
  /// Shows the chosen ads in their slots and applies what happens, decision by decision: the auction, the live
  /// budget check, the impression (fatigue, frequency, ads per user-day), the click and the purchase (history,
  /// revenue, margin) and the charge.
  ///
  /// A slot is empty (all-zero outcome) when its action is `noAd`, when the ad loses the slot's auction, or when its
  /// remaining budget no longer covers its largest charge. Clicks and purchases are drawn from
  /// `(step, slot, ad)`-keyed uniforms against the probabilities computed when the batch was served.
  public func resolve(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, into outcomes: inout OutcomeBatch) {
    let k = candidateCount, slots = slotCount, b = buffers
    let firstPrice = params.auction == "first-price", window = Float(params.frequencyWindow)
    for i in 0..<batch.count {
      // The batch's user rows may have left the cache since serving: ask for those of a later decision early.
      if i + Self.prefetchDistance < batch.count {
        prefetch(user: Int(b.user.pointer[b.position(of: batch.steps[i + Self.prefetchDistance])]))
      }
      let step = batch.steps[i], p = b.position(of: step), u = Int(b.user.pointer[p]), now = b.time.pointer[p]
      for slot in 0..<slots {
        let e = i * slots + slot
        outcomes.impressions[e] = 0
        outcomes.clicks[e] = 0
        outcomes.conversions[e] = 0
        outcomes.revenue[e] = 0
        outcomes.margin[e] = 0
        outcomes.cost[e] = 0
        outcomes.frequency[e] = 0
        let action = actions[e]
        guard action != DecisionBatch.noAd else { continue }
        let row = p * k + Int(action), ad = batch.adID(decision: i, candidate: Int(action))
        let competing = b.competingBid.pointer[p * slots + slot]
        let r = adTable.rows[ad]
        guard b.servable.pointer[row], r.bidPerImpression >= competing, ledger.canServe(ad, maxCharge: r.maxCharge)
        else { continue }
        let charge = EcommerceAdTable.charge(
          r, competing: competing, firstPrice: firstPrice, auctionCTR: params.auctionCTR)
        let item = Int(r.itemPlusOne) - 1
        outcomes.impressions[e] = 1
        users.expose(ad: ad, time: now, user: u)
        // A session that crossed midnight inside this batch has already opened the user's next day at serving;
        // its earlier page's ad belongs to a day that is closed, so it is not counted into the new day.
        if users.record[u].lastDay == Int32(step / timeline.stepsPerDay) {
          ledger.countAd(before: Int(users.record[u].adsToday))
          if users.record[u].adsToday < UInt16.max { users.record[u].adsToday += 1 }
        }
        outcomes.frequency[e] = Double(users.exposures(since: now - window, user: u))
        var cost = r.isCPC ? 0 : charge
        let noise = UInt64(slot) &<< 32 | UInt64(ad)
        if CounterRandom.uniform(key: keys.click, UInt64(step), noise) < model.examination[slot]
          * Double(b.clickProbability.pointer[row])
        {
          outcomes.clicks[e] = 1
          if r.isCPC { cost = charge }
          users.remember(item: item, user: u)
          if CounterRandom.uniform(key: keys.conversion, UInt64(step), noise)
            < Double(b.conversionProbability.pointer[row])
          {
            let price = r.price
            outcomes.conversions[e] = 1
            outcomes.revenue[e] = price
            outcomes.margin[e] = price * r.marginRate
            users.remember(item: item, user: u)
          }
        }
        outcomes.cost[e] = cost
        if cost > 0 { ledger.charge(ad, cost, maxCharge: r.maxCharge) }
      }
    }
  }

  /// The exact expected outcome of every candidate in every slot, from the probabilities of the served batch and
  /// the known competing bids: an ad that would lose the auction or had no budget left when served expects
  /// nothing. Changes no state. `frequency` assumes the slots above are filled (recent exposures + slot + 1).
  public func expectedOutcomes(_ batch: DecisionBatch, into outcomes: inout OutcomeBatch) {
    let k = candidateCount, slots = slotCount, b = buffers
    let firstPrice = params.auction == "first-price", adRows = adTable.rows
    // Every column is written through one pointer each (the oracle fills decisions × slots × candidates entries).
    outcomes.impressions.withUnsafeMutableBufferPointer { impressions in
      outcomes.clicks.withUnsafeMutableBufferPointer { clicks in
        outcomes.conversions.withUnsafeMutableBufferPointer { conversions in
          outcomes.revenue.withUnsafeMutableBufferPointer { revenue in
            outcomes.margin.withUnsafeMutableBufferPointer { margin in
              outcomes.cost.withUnsafeMutableBufferPointer { cost in
                outcomes.frequency.withUnsafeMutableBufferPointer { frequency in
                  for i in 0..<batch.count {
                    let p = b.position(of: batch.steps[i])
                    for slot in 0..<slots {
                      let competing = b.competingBid.pointer[p * slots + slot], exam = model.examination[slot]
                      for c in 0..<k {
                        let e = (i * slots + slot) * k + c, row = p * k + c, ad = batch.adID(decision: i, candidate: c)
                        let r = adRows[ad]
                        guard b.servable.pointer[row], r.bidPerImpression >= competing else {
                          impressions[e] = 0
                          clicks[e] = 0
                          conversions[e] = 0
                          revenue[e] = 0
                          margin[e] = 0
                          cost[e] = 0
                          frequency[e] = 0
                          continue
                        }
                        let click = exam * Double(b.clickProbability.pointer[row])
                        let conversion = click * Double(b.conversionProbability.pointer[row])
                        let charge = EcommerceAdTable.charge(
                          r, competing: competing, firstPrice: firstPrice, auctionCTR: params.auctionCTR)
                        let price = r.price
                        impressions[e] = 1
                        clicks[e] = click
                        conversions[e] = conversion
                        revenue[e] = conversion * price
                        margin[e] = conversion * price * r.marginRate
                        cost[e] = r.isCPC ? click * charge : charge
                        frequency[e] = Double(Int(b.recentExposures.pointer[p]) + slot + 1)
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
