import AdLabTensor
import Foundation

/// The user population as columns in manually allocated memory (per-user scalars in one record, vectors and rings
/// in struct-of-arrays columns): fixed traits drawn once
/// (segment, interests, sensitivities, activity peak) and the behaviour state that grows as they browse (history
/// ring, exposure ring, day and session counters).
///
/// Columns are raw pointers owned by this object, not `[T]` properties: a Swift array stored in a class is checked
/// for exclusive access and uniqueness on every write, which costs more than the simulation step itself. Memory
/// is about `40 + 8·top_categories + 4·history + 6·exposure_memory` bytes per user (≈ 350 B with the defaults,
/// so a million users fit in well under 1 GiB).
final class EcommerceUsers {
  let count: Int
  let topCategories: Int
  let historyLength: Int
  let exposureMemory: Int

  /// Per-user scalars in one 32-byte record, so a page view touches one cache line for them instead of one per
  /// column (serving is bound by memory latency at 100k+ users).
  struct Record {
    /// Last simulated day with a page view (−1: never).
    var lastDay: Int32 = -1
    /// Simulated hour of the last ad impression (`neverShown` when never).
    var lastAdTime: Float = EcommerceUsers.neverShown
    var priceSensitivity: Float = 0
    var propensity: Float = 0
    var fatigueSensitivity: Float = 1
    /// Ads shown on `lastDay`, and page views so far in the current session.
    var adsToday: UInt16 = 0
    var sessionDepth: UInt16 = 0
    var segment: UInt8 = 0
    /// History ring: next write and fill count; exposure ring likewise.
    var historyHead: UInt8 = 0
    var historyCount: UInt8 = 0
    var exposureHead: UInt8 = 0
    var exposureCount: UInt8 = 0
  }

  // MARK: - Traits
  let record: UnsafeMutablePointer<Record>
  /// Hour-of-day class: `segment · 24 + peak hour`; users of a class share an activity profile.
  let activityClass: UnsafeMutablePointer<UInt16>
  /// Latent interest per top category (`count × topCategories`); drifts in non-stationary mode.
  let interest: UnsafeMutablePointer<Float>
  /// exp(interest), the browsing weights, kept beside the interests so a page view needs no exponentials for them.
  let interestWeight: UnsafeMutablePointer<Float>

  // MARK: - Behaviour state
  /// Ring of recent item ids + 1 (`count × historyLength`), with head (next write) and fill count.
  let history: UnsafeMutablePointer<UInt32>
  /// Ring of recent ad exposures (`count × exposureMemory`): ad id and simulated hour.
  let exposureAd: UnsafeMutablePointer<UInt16>
  let exposureTime: UnsafeMutablePointer<Float>
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
    activityClass = column(n, 0)
    record = column(n, Record())
    interest = column(n * t, 0)
    interestWeight = column(n * t, 1)
    history = column(n * params.history, 0)
    exposureAd = column(n * params.exposureMemory, 0)
    exposureTime = column(n * params.exposureMemory, 0)
    driftDay = column(n, 0)

    // Segment peaks spread over the day; a user's peak scatters around the segment's.
    var stream = RandomStream(key: key)
    let segmentPeaks = (0..<params.segments).map { s in
      (Double(s) * 24 / Double(params.segments) + 9).truncatingRemainder(dividingBy: 24)
    }
    var normals = [Double](repeating: 0, count: t)
    for u in 0..<n {
      let s = stream.int(below: params.segments)
      record[u].segment = UInt8(s)
      var peak = Int((segmentPeaks[s] + params.hourSpread * stream.normal()).rounded()) % 24
      if peak < 0 { peak += 24 }
      activityClass[u] = UInt16(s * 24 + peak)
      normals.withUnsafeMutableBufferPointer { stream.fillNormal(into: $0) }
      for c in 0..<t {
        interest[u * t + c] = Float(params.interestSD * normals[c])
        interestWeight[u * t + c] = AdLabMath.exp(interest[u * t + c])
      }
      // Log-normal with mean `price_sensitivity`: exp(σz − σ²/2) has mean 1.
      let sd = params.priceSensitivitySD
      record[u].priceSensitivity = Float(params.priceSensitivity * AdLabMath.exp(sd * stream.normal() - sd * sd / 2))
      record[u].propensity = Float(params.propensitySD * stream.normal())
      record[u].fatigueSensitivity = Float(AdLabMath.exp(params.fatigueSensitivitySD * stream.normal()))
    }
  }

  deinit {
    record.deallocate()
    activityClass.deallocate()
    for p in [interest, interestWeight, exposureTime] as [UnsafeMutablePointer<Float>] { p.deallocate() }
    exposureAd.deallocate()
    driftDay.deallocate()
    history.deallocate()
  }

  /// Appends an item to the user's history ring (ids are stored + 1, 0 being padding).
  @inline(__always) func remember(item: Int, user u: Int) {
    let h = Int(record[u].historyHead)
    history[u * historyLength + h] = UInt32(item + 1)
    record[u].historyHead = UInt8((h + 1) % historyLength)
    if Int(record[u].historyCount) < historyLength { record[u].historyCount += 1 }
  }

  /// The `j`-th most recent history entry (item id + 1), `j < record[u].historyCount`.
  @inline(__always) func recentItem(_ j: Int, user u: Int) -> UInt32 {
    let h = (Int(record[u].historyHead) - 1 - j + 2 * historyLength) % historyLength
    return history[u * historyLength + h]
  }

  /// Records an ad impression at simulated hour `time`.
  @inline(__always) func expose(ad: Int, time: Float, user u: Int) {
    let h = Int(record[u].exposureHead)
    exposureAd[u * exposureMemory + h] = UInt16(ad)
    exposureTime[u * exposureMemory + h] = time
    record[u].exposureHead = UInt8((h + 1) % exposureMemory)
    if Int(record[u].exposureCount) < exposureMemory { record[u].exposureCount += 1 }
    record[u].lastAdTime = time
  }

  /// Exposures of the user in `(time − window, time]`.
  @inline(__always) func exposures(since start: Float, user u: Int) -> Int {
    var n = 0
    let base = u * exposureMemory
    for e in 0..<Int(record[u].exposureCount) where exposureTime[base + e] > start { n += 1 }
    return n
  }
}
