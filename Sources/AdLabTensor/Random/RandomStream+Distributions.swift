/// Continuous distributions. Each is a fixed, documented algorithm over the stream's bits, so a seed gives the same
/// draws on every Swift version and machine: `log` and `exp` are AdLab's own (`AdLabMath`), not the C library's.
extension RandomStream {
  // MARK: - Exponential

  /// A standard exponential draw (rate 1): `−ln U` with `U = uniformOpen()`, so the result is finite and > 0.
  @inlinable
  public mutating func exponential() -> Double {
    -AdLabMath.log(uniformOpen())
  }

  // MARK: - Gamma and beta

  /// A Gamma(shape, scale 1) draw: mean and variance both equal `shape`.
  ///
  /// Marsaglia & Tsang, "A Simple Method for Generating Gamma Variables" (ACM TOMS 2000). For shape `a ≥ 1`, with
  /// `d = a − 1/3` and `c = 1/sqrt(9d)`: draw a normal `x` with `v = (1 + c·x)³ > 0` and a uniform `u`; accept `d·v`
  /// if `u < 1 − 0.0331·x⁴` (the squeeze, which accepts most draws without a `log`) or if
  /// `ln u < x²/2 + d·(1 − v + ln v)`. For `a < 1`, a Gamma(a + 1) draw is multiplied by `U^(1/a)`, with
  /// `U = uniformOpen()` drawn after it. For very small shapes that factor can underflow to 0.
  ///
  /// - Precondition: `shape` is finite and > 0.
  @inlinable
  public mutating func gamma(shape: Double) -> Double {
    gamma(GammaShape(shape))
  }

  /// A Beta(a, b) draw: `X / (X + Y)` with `X ~ Gamma(a)` then `Y ~ Gamma(b)`. Mean `a / (a + b)`.
  ///
  /// When `a < 1` or `b < 1` the ratio is formed from the logarithms of the two gamma draws
  /// (`1 / (1 + exp(ln Y − ln X))`), so that both draws underflowing to 0 cannot give 0/0.
  ///
  /// - Precondition: `a` and `b` are finite and > 0.
  @inlinable
  public mutating func beta(_ a: Double, _ b: Double) -> Double {
    beta(BetaShape(a, b))
  }

  /// Fills `buffer` with Beta(alpha, beta) draws, the same numbers as calling `beta(alpha, beta)` repeatedly, with
  /// the per-shape constants computed once.
  public mutating func fillBeta(alpha: Double, beta: Double, into buffer: UnsafeMutableBufferPointer<Double>) {
    let shape = BetaShape(alpha, beta)
    var stream = self  // a local copy stays in registers; `self` is behind a pointer
    for index in buffer.indices {
      buffer[index] = stream.beta(shape)
    }
    self = stream
  }

  /// Fills `buffer[i]` with a Beta(alpha[i], beta[i]) draw for each `i`, in order: the same numbers as calling
  /// `beta(alpha[i], beta[i])` for `i = 0, 1, ...`. Built for Thompson sampling (one posterior per arm).
  ///
  /// - Precondition: the three buffers have the same count; every parameter is finite and > 0.
  public mutating func fillBeta(
    alpha: UnsafeBufferPointer<Double>, beta: UnsafeBufferPointer<Double>,
    into buffer: UnsafeMutableBufferPointer<Double>
  ) {
    precondition(
      alpha.count == buffer.count && beta.count == buffer.count,
      "RandomStream.fillBeta: alpha (\(alpha.count)), beta (\(beta.count)) and output (\(buffer.count)) "
        + "must have the same count")
    var stream = self
    for index in buffer.indices {
      buffer[index] = stream.beta(BetaShape(alpha[index], beta[index]))
    }
    self = stream
  }

  /// Fills `buffer` with Gamma(shape) draws, the same numbers as calling `gamma(shape:)` repeatedly.
  public mutating func fillGamma(shape: Double, into buffer: UnsafeMutableBufferPointer<Double>) {
    let gammaShape = GammaShape(shape)
    var stream = self
    for index in buffer.indices {
      buffer[index] = stream.gamma(gammaShape)
    }
    self = stream
  }

  // MARK: - Implementation details

  @inlinable
  internal mutating func gamma(_ shape: GammaShape) -> Double {
    let value = marsagliaTsang(shape)
    return shape.boosted ? value * AdLabMath.exp(AdLabMath.log(uniformOpen()) * shape.inverseShape) : value
  }

  /// `ln` of a `gamma(shape)` draw, computed without forming the (possibly underflowing) draw itself.
  @inlinable
  internal mutating func logGamma(_ shape: GammaShape) -> Double {
    let logValue = AdLabMath.log(marsagliaTsang(shape))
    return shape.boosted ? logValue + AdLabMath.log(uniformOpen()) * shape.inverseShape : logValue
  }

  @inlinable
  internal mutating func beta(_ shape: BetaShape) -> Double {
    if shape.logSpace {
      let logX = logGamma(shape.a)
      let logY = logGamma(shape.b)
      return 1 / (1 + AdLabMath.exp(logY - logX))
    }
    let x = gamma(shape.a)
    let y = gamma(shape.b)
    return x / (x + y)
  }

  /// The Marsaglia–Tsang loop for the (possibly boosted) shape `d + 1/3 ≥ 1`; see `gamma(shape:)`.
  @inlinable
  internal mutating func marsagliaTsang(_ shape: GammaShape) -> Double {
    while true {
      var x: Double
      var v: Double
      repeat {
        x = normal()
        v = 1 + shape.c * x
      } while v <= 0
      v = v * v * v
      let u = uniform()
      let x2 = x * x
      if u < 1 - 0.0331 * (x2 * x2) { return shape.d * v }
      if AdLabMath.log(u) < 0.5 * x2 + shape.d * (1 - v + AdLabMath.log(v)) { return shape.d * v }
    }
  }
}

/// Precomputed constants of a Gamma(shape) sampler (Marsaglia–Tsang `d`, `c`, and the `a < 1` boost).
@usableFromInline
internal struct GammaShape: Sendable {
  @usableFromInline let d: Double
  @usableFromInline let c: Double
  @usableFromInline let inverseShape: Double
  @usableFromInline let boosted: Bool

  @inlinable
  init(_ shape: Double) {
    precondition(shape > 0 && shape.isFinite, "RandomStream.gamma: shape must be finite and > 0, got \(shape)")
    boosted = shape < 1
    inverseShape = 1 / shape
    d = (boosted ? shape + 1 : shape) - 1.0 / 3.0
    c = 1 / (9 * d).squareRoot()
  }
}

/// Precomputed constants of a Beta(a, b) sampler: two gamma samplers and the choice of log-space ratio.
@usableFromInline
internal struct BetaShape: Sendable {
  @usableFromInline let a: GammaShape
  @usableFromInline let b: GammaShape
  @usableFromInline let logSpace: Bool

  @inlinable
  init(_ a: Double, _ b: Double) {
    precondition(a > 0 && a.isFinite, "RandomStream.beta: a must be finite and > 0, got \(a)")
    precondition(b > 0 && b.isFinite, "RandomStream.beta: b must be finite and > 0, got \(b)")
    self.a = GammaShape(a)
    self.b = GammaShape(b)
    logSpace = a < 1 || b < 1
  }
}
