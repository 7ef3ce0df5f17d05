import Foundation
import Testing

@testable import AdLabTensor

struct ZigguratTableTests {
  /// Recomputes the literal tables from their recurrence (see `ZigguratNormal`). A relative tolerance of 1e-13
  /// allows for another platform's `exp`/`log` and for error accumulated along the 255-step recurrence, while
  /// catching any mistyped or misordered entry.
  @Test func literalTablesFollowTheRecurrence() {
    let r = ZigguratNormal.r
    let density = { (x: Double) in exp(-0.5 * x * x) }
    let v = r * density(r) + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
    var x = [v / density(r), r]
    for i in 1..<255 { x.append((-2 * log(density(x[i]) + v / x[i])).squareRoot()) }
    x.append(0)
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-13 * max(abs(a), abs(b)) }
    #expect(ZigguratNormal.x.count == 257 && ZigguratNormal.f.count == 257 && ZigguratNormal.ratio.count == 256)
    for i in 0...256 {
      #expect(close(ZigguratNormal.x[i], x[i]), "x[\(i)]")
      #expect(close(ZigguratNormal.f[i], density(x[i])), "f[\(i)]")
    }
    for i in 0..<256 { #expect(close(ZigguratNormal.ratio[i], x[i + 1] / x[i]), "ratio[\(i)]") }
    // Every layer has area v: the top one closes the recurrence (x₂₅₆ = 0, f = 1).
    #expect(abs(x[255] * (1 - density(x[255])) - v) < 1e-12 * v)
  }
}
