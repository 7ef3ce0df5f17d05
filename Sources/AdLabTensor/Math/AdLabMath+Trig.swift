extension AdLabMath {
  /// sin r on |r| ≤ π/4.
  @inline(__always) static func sinKernel(_ r: Double) -> Double {
    let z = r * r
    return r + r * z * horner(C.sinPoly, z, count: 7)
  }

  /// cos r on |r| ≤ π/4; 1 − z/2 is split so its rounding error is carried into the small terms.
  @inline(__always) static func cosKernel(_ r: Double) -> Double {
    let z = r * r
    let halfZ = 0.5 * z
    let w = 1 - halfZ
    return w + (((1 - w) - halfZ) + z * z * horner(C.cosPoly, z, count: 7))
  }

  /// |x| = n·π/2 + r with |r| ≲ π/4, for finite x; returns r (sign of x applied by the caller) and n mod 4.
  static func reduceHalfPi(_ a: Double) -> (r: Double, quadrant: Int) {
    if a <= 0.7853981633974483 { return (a, 0) }
    if a < 0x1p19 {
      // Cody–Waite: three 33-bit pieces of π/2, each product with k < 2^20 exact.
      let kd = (a * C.twoOverPi).rounded(.toNearestOrEven)
      let r = ((a - kd * C.halfPi1) - kd * C.halfPi2) - kd * C.halfPi3
      return (r, Int(kd) & 3)
    }
    return payneHanek(a)
  }

  /// Payne–Hanek reduction for large |x|: multiplies the 53-bit significand by 192 bits of 2/π chosen so the
  /// integer bits above 2 drop out (they are multiples of 4), all in exact integer arithmetic.
  static func payneHanek(_ a: Double) -> (r: Double, quadrant: Int) {
    let significand = a.significandBitPattern | (1 << 52)
    let e = Int(a.exponent) - 52  // a = significand · 2^e, e ≥ −33 here
    let first = Swift.max(1, e - 1)  // first 2/π bit used (bit i weighs 2^−i)
    let point = first + 191 - e  // binary point of significand·chunk
    let word = (first - 1) / 64, offset = (first - 1) % 64
    var chunk = [UInt64](repeating: 0, count: 3)
    for i in 0..<3 {
      let high = C.twoOverPiWords[word + i]
      let low = C.twoOverPiWords[word + i + 1]
      chunk[i] = offset == 0 ? high : (high << UInt64(offset)) | (low >> UInt64(64 - offset))
    }
    // product = significand · (chunk[0]·2^128 + chunk[1]·2^64 + chunk[2]), as four words p[0] (high) … p[3].
    var p = [UInt64](repeating: 0, count: 4)
    var carry: UInt64 = 0
    for i in stride(from: 2, through: 0, by: -1) {
      let (high, low) = significand.multipliedFullWidth(by: chunk[i])
      let (sum, overflow) = low.addingReportingOverflow(carry)
      p[i + 1] = sum
      carry = high &+ (overflow ? 1 : 0)
    }
    p[0] = carry
    /// Bits [from, from + 64) of the 256-bit product (bit 0 least significant).
    func bits(_ from: Int) -> UInt64 {
      var value: UInt64 = 0
      for b in 0..<64 where from + b >= 0 && from + b < 256 {
        let position = from + b
        let w = 3 - position / 64
        if (p[w] >> UInt64(position % 64)) & 1 == 1 { value |= 1 << UInt64(b) }
      }
      return value
    }
    var quadrant = Int(bits(point) & 3)
    var high = bits(point - 64), low = bits(point - 128)
    var sign = 1.0
    if high >> 63 == 1 {
      // Fraction ≥ ½: take 1 − fraction in exact 128-bit integer arithmetic, so no bits cancel in floating point.
      low = 0 &- low
      high = ~high &+ (low == 0 ? 1 : 0)
      quadrant = (quadrant + 1) & 3
      sign = -1
    }
    // high < 2^63: its double rounding error is an exact (signed) integer, carried into the tail.
    let headD = Double(high)
    let rest = Double(Int64(bitPattern: high &- UInt64(headD))) + Double(low) * 0x1p-64
    let f = headD * 0x1p-64, g = rest * 0x1p-64
    let r = f * (C.halfPi1 + C.halfPi2) + (f * C.halfPi3 + g * (C.halfPi1 + C.halfPi2))
    return (sign * r, quadrant)
  }

  /// Sine. Max error 0.8 ulp (measured), including arguments up to 1e300 (Payne–Hanek reduction).
  public static func sin(_ x: Double) -> Double {
    if !x.isFinite { return x - x }
    let a = Swift.abs(x)
    if a < 0x1p-27 { return x }
    let (r, n) = reduceHalfPi(a)
    let s: Double
    switch n {
    case 0: s = sinKernel(r)
    case 1: s = cosKernel(r)
    case 2: s = -sinKernel(r)
    default: s = -cosKernel(r)
    }
    return x < 0 ? -s : s
  }

  /// Cosine. Max error 0.8 ulp (measured), including arguments up to 1e300.
  public static func cos(_ x: Double) -> Double {
    if !x.isFinite { return x - x }
    let a = Swift.abs(x)
    if a < 0x1p-27 { return 1 }
    let (r, n) = reduceHalfPi(a)
    switch n {
    case 0: return cosKernel(r)
    case 1: return -sinKernel(r)
    case 2: return -cosKernel(r)
    default: return sinKernel(r)
    }
  }

  /// sin(πx), exact reduction (used by lgamma's reflection).
  static func sinPi(_ x: Double) -> Double {
    var r = x - 2 * (0.5 * x).rounded(.toNearestOrEven)  // exact, r ∈ [−1, 1]
    var sign = 1.0
    if r < 0 {
      r = -r
      sign = -1
    }
    if r > 0.5 { r = 1 - r }  // exact
    let value = r <= 0.25 ? sinKernel(r * C.pi + r * C.piTail) : cosKernel((0.5 - r) * C.pi + (0.5 - r) * C.piTail)
    return sign * value
  }

  /// Arctangent. Max error 0.8 ulp (measured). Reduction at 7/16, 11/16, 19/16, 39/16 to |t| ≤ 7/16.
  public static func atan(_ x: Double) -> Double {
    if x.isNaN { return x + x }
    let a = Swift.abs(x)
    let value: Double
    if a >= 0x1p66 {
      value = C.atanInfinityHead + C.atanInfinityTail
    } else if a < 0.4375 {
      if a < 0x1p-29 { return x }
      let z = a * a
      value = a - a * z * horner(C.atanPoly, z, count: 12)
    } else {
      let t: Double, head: Double, tail: Double
      if a < 0.6875 {
        (t, head, tail) = ((2 * a - 1) / (2 + a), C.atanHalfHead, C.atanHalfTail)
      } else if a < 1.1875 {
        (t, head, tail) = ((a - 1) / (a + 1), C.atanOneHead, C.atanOneTail)
      } else if a < 2.4375 {
        (t, head, tail) = ((a - 1.5) / (1 + 1.5 * a), C.atanThreeHalvesHead, C.atanThreeHalvesTail)
      } else {
        (t, head, tail) = (-1 / a, C.atanInfinityHead, C.atanInfinityTail)
      }
      let z = t * t
      value = head - ((t * z * horner(C.atanPoly, z, count: 12) - tail) - t)
    }
    return x < 0 ? -value : value
  }

  /// The angle of (x, y) in (−π, π], with C99's special values for zeros and infinities.
  /// Max error 1.5 ulp (measured).
  public static func atan2(_ y: Double, _ x: Double) -> Double {
    if x.isNaN || y.isNaN { return x + y }
    let pi = C.pi, halfPi = C.atanInfinityHead
    let negativeX = x.sign == .minus
    if y == 0 { return negativeX ? (y.sign == .minus ? -pi : pi) : y }
    if x == 0 { return y < 0 ? -halfPi : halfPi }
    if x.isInfinite {
      let angle: Double
      if y.isInfinite {
        angle = negativeX ? 3 * 0.7853981633974483 : 0.7853981633974483
      } else {
        angle = negativeX ? pi : 0
      }
      return y < 0 ? -angle : angle
    }
    if y.isInfinite { return y < 0 ? -halfPi : halfPi }
    let z = atan(Swift.abs(y / x))
    let angle = negativeX ? pi - (z - C.piTail) : z
    return y < 0 ? -angle : angle
  }
}
