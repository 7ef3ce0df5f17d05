/// Normal draws by the ziggurat method: one `next()` per draw in about 99% of cases, no `log` or `sqrt` on that path.
extension RandomStream {
  /// A standard normal draw (mean 0, variance 1), by the ziggurat method (Marsaglia & Tsang, "The Ziggurat Method
  /// for Generating Random Variables", J. Stat. Softw. 5(8), 2000), with 256 layers and double-precision tables.
  ///
  /// One `next()` gives the layer `i` (its low 8 bits) and `u` uniform in [−1, 1) (its top 53 bits); `x = u · xᵢ`
  /// is returned at once when `|u| < xᵢ₊₁ / xᵢ` (about 99% of draws). Otherwise the wedge of layer `i` is tested
  /// with one more `uniform()` and an `exp`, or, for the base layer, `x` is drawn from the tail beyond
  /// `r = 3.6541528853610088` by Marsaglia's exponential rejection (two `uniformOpen()` and two `log` per try).
  /// The layer tables are in `ZigguratNormal`.
  @inlinable
  public mutating func normal() -> Double {
    while true {
      let bits = next()
      let layer = Int(truncatingIfNeeded: bits & 0xFF)
      let u = Double(bits &>> 11) * 0x1p-52 - 1  // the top 53 bits; disjoint from the layer bits
      if abs(u) < ZigguratNormal.ratio[layer] {
        return u * ZigguratNormal.x[layer]
      }
      if let value = normalOutsideCore(layer: layer, u: u) {
        return value
      }
    }
  }

  /// The rare ziggurat paths: the base layer's tail and the wedges. `nil` means "rejected, draw again".
  @inlinable @inline(never)
  internal mutating func normalOutsideCore(layer: Int, u: Double) -> Double? {
    if layer == 0 {
      // |x| >= r in the base layer: a draw from the tail beyond r, with the sign of u.
      let r = ZigguratNormal.r
      while true {
        let excess = -AdLabMath.log(uniformOpen()) / r
        let y = -AdLabMath.log(uniformOpen())
        if y + y >= excess * excess {
          return u < 0 ? -(r + excess) : r + excess
        }
      }
    }
    let x = u * ZigguratNormal.x[layer]
    // Layer i spans heights f(xᵢ) .. f(xᵢ₊₁); accept if a uniform height there lies under the curve.
    let f = ZigguratNormal.f
    let height = f[layer] + uniform() * (f[layer + 1] - f[layer])
    return height < AdLabMath.exp(-0.5 * x * x) ? x : nil
  }

  /// A normal draw with the given mean and standard deviation: `mean + sd · normal()`.
  ///
  /// - Precondition: `mean` is finite and `sd` is finite and non-negative.
  @inlinable
  public mutating func normal(mean: Double, sd: Double) -> Double {
    precondition(mean.isFinite, "RandomStream.normal: mean must be finite, got \(mean)")
    precondition(sd >= 0 && sd.isFinite, "RandomStream.normal: sd must be finite and >= 0, got \(sd)")
    return mean + sd * normal()
  }

  /// Fills `buffer` with `normal()` draws, in order (the same numbers as calling `normal()` repeatedly).
  public mutating func fillNormal(into buffer: UnsafeMutableBufferPointer<Double>) {
    var stream = self  // a local copy stays in registers; `self` is behind a pointer
    for index in buffer.indices {
      buffer[index] = stream.normal()
    }
    self = stream
  }
}
