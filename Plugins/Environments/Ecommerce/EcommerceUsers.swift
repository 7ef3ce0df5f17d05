import AdLabTensor
import Foundation

/// The user population as struct-of-arrays columns in manually allocated memory: fixed traits drawn once
/// (segment, interests, sensitivities, activity peak) and the behaviour state that grows as they browse (history
/// ring, exposure ring, day and session counters).
///
/// Columns are raw pointers owned by this object, not `[T]` properties: a Swift array stored in a class is checked
/// for exclusive access and uniqueness on every write, which costs more than the simulation step itself. Memory
/// is about `60 + 4·top_categories + 4·history + 6·exposure_memory` bytes per user (≈ 350 B with the defaults,
/// so a million users fit in well under 1 GiB).
final class EcommerceUsers {
  let count: Int
  let topCategories: Int
  let historyLength: Int
  let exposureMemory: Int

  // MARK: - Traits
  let segment: UnsafeMutablePointer<UInt8>
  /// Hour-of-day class: `segment · 24 + peak hour`; users of a class share an activity profile.
  let activityClass: UnsafeMutablePointer<UInt16>
  /// Latent interest per top category (`count × topCategories`); drifts in non-stationary mode.
  let interest: UnsafeMutablePointer<Float>
  let priceSensitivity: UnsafeMutablePointer<Float>
  let propensity: UnsafeMutablePointer<Float>
  let fatigueSensitivity: UnsafeMutablePointer<Float>

  // MARK: - Behaviour state
  /// Ring of recent item ids + 1 (`count × historyLength`), with head (next write) and fill count.
  let history: UnsafeMutablePointer<UInt32>
  let historyHead: UnsafeMutablePointer<UInt8>
  let historyCount: UnsafeMutablePointer<UInt8>
  /// Ring of recent ad exposures (`count × exposureMemory`): ad id and simulated hour.
  let exposureAd: UnsafeMutablePointer<UInt16>
  let exposureTime: UnsafeMutablePointer<Float>
  let exposureHead: UnsafeMutablePointer<UInt8>
  let exposureCount: UnsafeMutablePointer<UInt8>
  /// Last simulated day with a page view (−1: never), ads shown that day, page views so far in the session.
  let lastDay: UnsafeMutablePointer<Int32>
  let adsToday: UnsafeMutablePointer<UInt16>
  let sessionDepth: UnsafeMutablePointer<UInt16>
  /// Simulated hour of the last ad impression (−∞ stored as a large negative number when never).
  let lastAdTime: UnsafeMutablePointer<Float>
  /// Day up to which drift has been applied.
  let driftDay: UnsafeMutablePointer<Int32>

  static let neverShown: Float = -1e9

  init(_ params: EcommerceEnvironment.Params, key: StreamKey) {
    let n = params.users, t = params.topCategories
    count = n
    topCategories = t
    historyLength = params.history
    exposureMemory = params.exposureMemory
    func column<T>(_ size: Int, _ value: T) -> UnsafeMutablePointer<T> {
      let p = UnsafeMutablePointer<T>.allocate(capacity: max(size, 1))
      p.initialize(repeating: value, count: max(size, 1))
      return p
    }
    segment = column(n, 0)
    activityClass = column(n, 0)
    interest = column(n * t, 0)
    priceSensitivity = column(n, 0)
    propensity = column(n, 0)
    fatigueSensitivity = column(n, 0)
    history = column(n * params.history, 0)
    historyHead = column(n, 0)
    historyCount = column(n, 0)
    exposureAd = column(n * params.exposureMemory, 0)
    exposureTime = column(n * params.exposureMemory, 0)
    exposureHead = column(n, 0)
    exposureCount = column(n, 0)
    lastDay = column(n, -1)
    adsToday = column(n, 0)
    sessionDepth = column(n, 0)
    lastAdTime = column(n, Self.neverShown)
    driftDay = column(n, 0)

    // Segment peaks spread over the day; a user's peak scatters around the segment's.
    var stream = RandomStream(key: key)
    let segmentPeaks = (0..<params.segments).map { s in (Double(s) * 24 / Double(params.segments) + 9).truncatingRemainder(dividingBy: 24) }
    var normals = [Double](repeating: 0, count: t)
    for u in 0..<n {
      let s = stream.int(below: params.segments)
      segment[u] = UInt8(s)
      var peak = Int((segmentPeaks[s] + params.hourSpread * stream.normal()).rounded()) % 24
      if peak < 0 { peak += 24 }
      activityClass[u] = UInt16(s * 24 + peak)
      normals.withUnsafeMutableBufferPointer { stream.fillNormal(into: $0) }
      for c in 0..<t { interest[u * t + c] = Float(params.interestSD * normals[c]) }
      // Log-normal with mean `price_sensitivity`: exp(σz − σ²/2) has mean 1.
      let sd = params.priceSensitivitySD
      priceSensitivity[u] = Float(params.priceSensitivity * exp(sd * stream.normal() - sd * sd / 2))
      propensity[u] = Float(params.propensitySD * stream.normal())
      fatigueSensitivity[u] = Float(exp(params.fatigueSensitivitySD * stream.normal()))
    }
  }

  deinit {
    for p in [segment, historyHead, historyCount, exposureHead, exposureCount] as [UnsafeMutablePointer<UInt8>] { p.deallocate() }
    for p in [activityClass, adsToday, sessionDepth, exposureAd] as [UnsafeMutablePointer<UInt16>] { p.deallocate() }
    for p in [interest, priceSensitivity, propensity, fatigueSensitivity, exposureTime, lastAdTime] as [UnsafeMutablePointer<Float>] { p.deallocate() }
    for p in [lastDay, driftDay] as [UnsafeMutablePointer<Int32>] { p.deallocate() }
    history.deallocate()
  }

  /// Appends an item to the user's history ring (ids are stored + 1, 0 being padding).
  @inline(__always) func remember(item: Int, user u: Int) {
    let h = Int(historyHead[u])
    history[u * historyLength + h] = UInt32(item + 1)
    historyHead[u] = UInt8((h + 1) % historyLength)
    if Int(historyCount[u]) < historyLength { historyCount[u] += 1 }
  }

  /// The `j`-th most recent history entry (item id + 1), `j < historyCount[u]`.
  @inline(__always) func recentItem(_ j: Int, user u: Int) -> UInt32 {
    let h = (Int(historyHead[u]) - 1 - j + 2 * historyLength) % historyLength
    return history[u * historyLength + h]
  }

  /// Records an ad impression at simulated hour `time`.
  @inline(__always) func expose(ad: Int, time: Float, user u: Int) {
    let h = Int(exposureHead[u])
    exposureAd[u * exposureMemory + h] = UInt16(ad)
    exposureTime[u * exposureMemory + h] = time
    exposureHead[u] = UInt8((h + 1) % exposureMemory)
    if Int(exposureCount[u]) < exposureMemory { exposureCount[u] += 1 }
    lastAdTime[u] = time
  }

  /// Exposures of the user in `(time − window, time]`.
  @inline(__always) func exposures(since start: Float, user u: Int) -> Int {
    var n = 0
    let base = u * exposureMemory
    for e in 0..<Int(exposureCount[u]) where exposureTime[base + e] > start { n += 1 }
    return n
  }
}
