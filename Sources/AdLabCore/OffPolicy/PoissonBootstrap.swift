import AdLabTensor

/// The Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012): a resample weights each round by an
/// independent Poisson(1) count instead of drawing n rounds with replacement. For large n the two agree (a
/// multinomial count per round tends to Poisson(1)); unlike the multinomial, round i's weight in resample b here is a
/// function of (key, i, b) alone, drawn from `CounterRandom`'s Philox grid. A streaming pass therefore computes
/// every resample's sums at once, keeps no per-round arrays, and gets the same weights however the rounds are
/// chunked or threaded.
enum PoissonBootstrap {
  /// P(K ≤ k) for K ~ Poisson(1), k = 0...17; P(K > 17) < 10⁻¹⁶, below a Double uniform's resolution.
  static let cumulative: [Double] = {
    var probability = AdLabMath.exp(-1.0), total = probability
    var out = [total]
    for k in 1...17 {
      probability /= Double(k)
      total += probability
      out.append(total)
    }
    return out
  }()

  /// The Poisson(1) count at uniform `u` (inverse CDF).
  @inline(__always) static func count(_ u: Double) -> Double {
    var k = 0
    while k < cumulative.count && u >= cumulative[k] { k += 1 }
    return Double(k)
  }

  /// Round `round`'s weight in resamples 0..<weights.count, written into `weights` (`uniforms` is scratch of the
  /// same size).
  static func weights(
    key: StreamKey, round: Int, uniforms: UnsafeMutableBufferPointer<Double>,
    into weights: UnsafeMutableBufferPointer<Double>
  ) {
    CounterRandom.uniforms(key: key, a: UInt64(round), count: weights.count, into: uniforms)
    for b in 0..<weights.count { weights[b] = count(uniforms[b]) }
  }
}
