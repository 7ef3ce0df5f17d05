import Foundation

/// Sizes for people.
public enum ByteCount {
  /// `bytes` in B, KiB, MiB, GiB or TiB (powers of 1024, one decimal above bytes).
  public static func describe(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
    var value = Double(bytes), unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : "\(String(format: "%.1f", value)) \(units[unit])"
  }
}
