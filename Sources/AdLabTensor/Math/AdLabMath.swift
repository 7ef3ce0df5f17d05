/// AdLab's own transcendental functions: the same bits on every machine, whatever its C library or CPU.
///
/// glibc's `exp`, `log`, … choose FMA code paths by CPU, so a result bundle computed with them differs between
/// machines in the last bits. Every function here uses plain IEEE 754 operations (`+ − × ÷ √`, no `fma`; Swift
/// never contracts `a·b + c` on its own) in a fixed order, table-free or with tables derived by
/// `make_math_coefficients.py`, so it is a pure function of its argument's bits.
///
/// Measured accuracy against correctly rounded mpmath references (`Tests/AdLabTensorTests/AdLabMathTests.swift`
/// states and checks each bound; the fixtures are made by `make_math_fixtures.py`) is given on each function.
/// `Float` versions compute in `Double` and round once, so they are within ½ ulp plus a hair (≤ 0.51 ulp).
public enum AdLabMath {
  typealias C = AdLabMathCoefficients

  /// Horner evaluation of `count` coefficients `c[start…]` (lowest degree first) at `x`, in a fixed order.
  @inline(__always) static func horner(_ c: [Double], _ x: Double, start: Int = 0, count: Int) -> Double {
    var p = c[start + count - 1]
    var i = start + count - 2
    while i >= start {
      p = p * x + c[i]
      i -= 1
    }
    return p
  }

  /// `y · 2^m` with a single rounding, also when the result is subnormal or overflows.
  @inline(__always) static func scale(_ y: Double, _ m: Int) -> Double {
    if m > -1022 && m < 1023 { return y * Double(sign: .plus, exponent: m, significand: 1) }
    if m >= 1023 {
      // Two exact steps until the last, which overflows to ∞ as it should.
      return y * Double(sign: .plus, exponent: 1000, significand: 1)
        * Double(sign: .plus, exponent: Swift.min(m - 1000, 1023), significand: 1)
    }
    // The first product is exact (a normal number); the second rounds once into the subnormal range.
    let up = Swift.max(m + 200, -1021)
    return y * Double(sign: .plus, exponent: up, significand: 1) * Double(sign: .plus, exponent: -200, significand: 1)
  }

  /// The high 26 significant bits of `x` (its low 27 significand bits cleared), so `head·head` is exact.
  @inline(__always) static func head26(_ x: Double) -> Double {
    Double(bitPattern: x.bitPattern & 0xFFFF_FFFF_F800_0000)
  }
}
