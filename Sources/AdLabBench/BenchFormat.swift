/// Number formatting for benchmark tables without Foundation (so the tensor core can use it): fixed decimals,
/// and the `AdLab / peer` ratio.
public enum BenchFormat {
  /// `value` with exactly `digits` decimals (half away from zero); `-` for NaN or infinity.
  public static func fixed(_ value: Double, digits: Int = 1) -> String {
    guard value.isFinite else { return "-" }
    var scale = 1.0
    for _ in 0..<max(0, digits) { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e18 else { return value < 0 ? "-\(abs(value))" : "\(value)" }
    let units = UInt64(scaled)
    let whole = units / UInt64(scale), fraction = String(units % UInt64(scale))
    let sign = value < 0 && units > 0 ? "-" : ""
    guard digits > 0 else { return sign + String(whole) }
    return sign + String(whole) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
  }

  /// `value / 10^6` with `digits` decimals: rates in millions (decisions/s, impressions/s).
  public static func millions(_ value: Double, digits: Int = 3) -> String { fixed(value / 1e6, digits: digits) }

  /// `ours / peer` as `"3.1×"` (`digits` decimals), or `-` when the peer figure is missing or not positive.
  public static func ratio(_ ours: Double, _ peer: Double?, digits: Int = 1) -> String {
    guard let peer, peer > 0, ours.isFinite else { return "-" }
    return fixed(ours / peer, digits: digits) + "×"
  }
}
