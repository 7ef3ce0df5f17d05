import AdLabTensor
import Foundation

/// The simulated clock and the population timeline: at which hour each step falls and who would arrive then.
///
/// **Clock.** A day has `page_views_per_day` steps. Within a day, steps are spread over the hours in proportion to
/// the population's total activity at each hour, so busy hours get more page views (the arrival pattern by hour).
///
/// **Who arrives (paired determinism).** Step `s` either continues the session of step `s − 1` (probability
/// `session_continue`) or brings a new arrival: an activity class (segment × peak hour) drawn with weight
/// `class size × profile(class, hour)`, then a uniform member of the class. Every one of these draws is
/// counter-based, keyed by `step`, and never depends on the market's state, so this population timeline — which
/// user each step brings — is the same for every variant of a replication. The market is stateful, though: a user
/// who churned after a day with too many ads is away for a while, and a step that brings an away user has *no page
/// view* (`nextBatch` returns fewer decisions than steps). So churn costs traffic, variants that drive different
/// users away differ exactly in which steps have a page view, and a step with a page view in two variants has the
/// same user in both (paired common random numbers).
struct EcommerceTimeline {
  let stepsPerDay: Int
  /// Share of a day's steps before hour h (25 entries, 0 … 1).
  let hourStart: [Double]
  let classes: Int
  /// Per hour, cumulative class weights (`24 × classes`, each row ending at 1).
  let classCumulative: [Double]
  /// Users sorted by class: the members of class c are `members[classStart[c] ..< classStart[c + 1]]`.
  let classStart: [Int32]
  let members: [UInt32]

  init(_ params: EcommerceEnvironment.Params, users: EcommerceUsers) {
    stepsPerDay = params.pageViewsPerDay
    classes = params.segments * 24
    var sizes = [Int](repeating: 0, count: classes)
    for u in 0..<users.count { sizes[Int(users.activityClass[u])] += 1 }
    var start = [Int32](repeating: 0, count: classes + 1)
    for c in 0..<classes { start[c + 1] = start[c] + Int32(sizes[c]) }
    var fill = start
    var members = [UInt32](repeating: 0, count: users.count)
    for u in 0..<users.count {
      let c = Int(users.activityClass[u])
      members[Int(fill[c])] = UInt32(u)
      fill[c] += 1
    }
    classStart = start
    self.members = members
    var cumulative = [Double](repeating: 0, count: 24 * classes)
    var traffic = [Double](repeating: 0, count: 24)
    for h in 0..<24 {
      var total = 0.0
      for c in 0..<classes {
        total += Double(sizes[c]) * Self.profile(peak: c % 24, hour: h, concentration: params.hourConcentration)
        cumulative[h * classes + c] = total
      }
      for c in 0..<classes { cumulative[h * classes + c] /= total }
      traffic[h] = total
    }
    classCumulative = cumulative
    let sum = traffic.reduce(0, +)
    var shares = [0.0]
    for h in 0..<24 { shares.append(shares[h] + traffic[h] / sum) }
    shares[24] = 1
    hourStart = shares
  }

  /// Relative activity of a class peaking at `peak` during `hour`: a von Mises bump on the 24-hour circle.
  static func profile(peak: Int, hour: Int, concentration: Double) -> Double {
    AdLabMath.exp(concentration * (AdLabMath.cos(2 * Double.pi * Double(hour - peak) / 24) - 1))
  }

  /// Day, hour of day, and simulated time in hours since the start of the job, of step `step`.
  @inline(__always) func time(of step: Int) -> (day: Int, hour: Int, hours: Double) {
    let day = step / stepsPerDay
    let position = (Double(step - day * stepsPerDay) + 0.5) / Double(stepsPerDay)
    var h = 0
    while h < 23 && hourStart[h + 1] <= position { h += 1 }
    let width = hourStart[h + 1] - hourStart[h]
    let fraction = width > 0 ? (position - hourStart[h]) / width : 0
    return (day, h, Double(day * 24 + h) + fraction)
  }

  /// The user a new arrival at `step` (falling in `hour`) would be, from positions (step, 0) and (step, 1) of the
  /// arrival stream (one Philox block).
  @inline(__always) func arrival(hour: Int, step: Int, key: StreamKey) -> Int {
    var pair = (0.0, 0.0)
    withUnsafeMutableBytes(of: &pair) {
      CounterRandom.uniforms(key: key, a: UInt64(step), count: 2, into: $0.bindMemory(to: Double.self))
    }
    return arrival(hour: hour, pair.0, pair.1)
  }

  /// The user a new arrival at `hour` would be, from two uniforms.
  @inline(__always) func arrival(hour: Int, _ u0: Double, _ u1: Double) -> Int {
    let row = hour * classes
    // Smallest class whose cumulative weight exceeds u0 (binary search over the hour's row).
    var lo = 0, hi = classes - 1
    while lo < hi {
      let mid = (lo + hi) / 2
      if classCumulative[row + mid] > u0 { hi = mid } else { lo = mid + 1 }
    }
    // Classes with no members have zero weight, so `lo` has members unless rounding put u0 at the very end.
    while classStart[lo + 1] == classStart[lo] { lo = lo == 0 ? classes - 1 : lo - 1 }
    let first = Int(classStart[lo]), size = Int(classStart[lo + 1]) - first
    return Int(members[first + min(Int(u1 * Double(size)), size - 1)])
  }
}
