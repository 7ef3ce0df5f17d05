internal import CAdLabKernels

/// Beta draws for Thompson sampling, many at a time: the Marsaglia–Tsang attempts of each gamma run on lanes of
/// Philox blocks (`gamma_lanes.c`, vectorised per kernel class), and only the attempts the fast path cannot
/// decide are finished one by one here.
///
/// The draws have exactly the Beta distribution of ``RandomStream/beta(_:_:)`` but are a different sequence
/// (they read the stream's blocks in another order), and they are the same bits in every kernel class: the
/// kernel uses integer arithmetic and IEEE-exact `+ − ×` and comparisons only, with no fused multiply-add.
extension RandomStream {
  /// Fills `buffer` with Beta(alpha, beta) draws: `X / (X + Y)` with `buffer.count` draws `X ~ Gamma(alpha)`,
  /// then as many `Y ~ Gamma(beta)`, each gamma by ``fillGammaLanes(shape:into:)``.
  ///
  /// Shapes below 1 (the boosted gamma, log-space ratio) take the scalar ``fillBeta(alpha:beta:into:)``.
  ///
  /// - Precondition: `alpha` and `beta` are finite and > 0.
  public mutating func fillBetaLanes(alpha: Double, beta: Double, into buffer: UnsafeMutableBufferPointer<Double>) {
    guard alpha >= 1 && beta >= 1 && alpha.isFinite && beta.isFinite else {
      fillBeta(alpha: alpha, beta: beta, into: buffer)
      return
    }
    withUnsafeTemporaryAllocation(of: Double.self, capacity: buffer.count) { y in
      fillGammaLanes(GammaShape(alpha), into: buffer)
      fillGammaLanes(GammaShape(beta), into: y)
      for i in buffer.indices { buffer[i] = buffer[i] / (buffer[i] + y[i]) }
    }
  }

  /// Fills `buffer` with Gamma(shape) draws, shape ≥ 1: draw `i` is a Marsaglia–Tsang attempt on the `i`-th of
  /// `buffer.count` consecutive Philox blocks taken from the stream (after discarding the words it had buffered);
  /// attempts the fast path cannot decide are finished exactly, in a fixed order (`finishGammaAttempts`).
  ///
  /// - Precondition: `shape` is finite and ≥ 1.
  public mutating func fillGammaLanes(shape: Double, into buffer: UnsafeMutableBufferPointer<Double>) {
    precondition(
      shape >= 1 && shape.isFinite, "RandomStream.fillGammaLanes: shape must be finite and >= 1, got \(shape)")
    fillGammaLanes(GammaShape(shape), into: buffer)
  }

  mutating func fillGammaLanes(_ shape: GammaShape, into buffer: UnsafeMutableBufferPointer<Double>) {
    let count = buffer.count
    guard count > 0, let out = buffer.baseAddress else { return }
    let first = takeBlocks(count)
    let kernels = KernelClass.current
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { normalBits in
      withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { uniforms in
        withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { undecided in
          let found = ZigguratNormal.x.withUnsafeBufferPointer { zigX in
            ZigguratNormal.ratio.withUnsafeBufferPointer { zigRatio in
              GammaLanesKernel.run(
                kernels, key: philoxKey, first: first, count: count, d: shape.d, c: shape.c, zigX: zigX.baseAddress!,
                zigRatio: zigRatio.baseAddress!, out: out, normalBits: normalBits.baseAddress!,
                uniforms: uniforms.baseAddress!, undecided: undecided.baseAddress!)
            }
          }
          var stream = self  // a local copy stays in registers; `self` is behind a pointer
          stream.finishGammaAttempts(
            shape, out: out, undecided: UnsafeBufferPointer(rebasing: undecided[0..<found]),
            normalBits: normalBits.baseAddress!, uniforms: uniforms.baseAddress!)
          self = stream
        }
      }
    }
  }

  /// Reserves the next `count` Philox blocks for a caller that computes them itself; returns the first counter.
  /// The words still buffered are dropped, so the stream continues after the reserved blocks.
  mutating func takeBlocks(_ count: Int) -> UInt64 {
    used = 16
    let first = nextBlock
    nextBlock &+= UInt64(count)
    return first
  }

  /// Finishes every attempt the kernel left undecided (indices `undecided`, increasing), in three passes with a fixed order of
  /// draws: (1) in index order, attempts whose normal lies outside the ziggurat's core or whose `v ≤ 0` are
  /// finished one by one (`finishGammaAttempt`), drawing from the stream; (2) the others, which only failed the
  /// squeeze, take Marsaglia–Tsang's logarithmic test with their logarithms in one call on vector lanes
  /// (`AdLabMath.log(_:into:)`, the scalar bits), which draws nothing; (3) in index order, those it rejects get a fresh `marsagliaTsang` draw.
  mutating func finishGammaAttempts(
    _ shape: GammaShape, out: UnsafeMutablePointer<Double>, undecided: UnsafeBufferPointer<Int>,
    normalBits: UnsafePointer<UInt64>, uniforms: UnsafePointer<Double>
  ) {
    // The squeeze failures: their indices, u, x² and v³.
    var pending: [Int] = [], pendingU: [Double] = [], pendingX2: [Double] = [], pendingV: [Double] = []
    pending.reserveCapacity(undecided.count)
    pendingU.reserveCapacity(undecided.count)
    pendingX2.reserveCapacity(undecided.count)
    pendingV.reserveCapacity(undecided.count)
    for i in undecided {
      let bits = normalBits[i]
      let layer = Int(truncatingIfNeeded: bits & 0xFF)
      let uz = Double(bits &>> 11) * 0x1p-52 - 1
      let x = uz * ZigguratNormal.x[layer]
      let v = 1 + shape.c * x
      guard abs(uz) < ZigguratNormal.ratio[layer] && v > 0 else {
        out[i] = finishGammaAttempt(shape, normalBits: bits, u: uniforms[i])
        continue
      }
      pending.append(i)
      pendingU.append(uniforms[i])
      pendingX2.append(x * x)
      pendingV.append(v * v * v)
    }
    var logU = [Double](repeating: 0, count: pending.count), logV = logU
    pendingU.withUnsafeBufferPointer { u in logU.withUnsafeMutableBufferPointer { AdLabMath.log(u, into: $0) } }
    pendingV.withUnsafeBufferPointer { v in logV.withUnsafeMutableBufferPointer { AdLabMath.log(v, into: $0) } }
    for (j, i) in pending.enumerated() {
      let accepted = logU[j] < 0.5 * pendingX2[j] + shape.d * (1 - pendingV[j] + logV[j])
      out[i] = accepted ? shape.d * pendingV[j] : -1
    }
    for i in pending where out[i] < 0 { out[i] = marsagliaTsang(shape) }
  }

  /// The rest of one Marsaglia–Tsang attempt whose normal has bits `normalBits` and whose uniform is `u`, as
  /// `marsagliaTsang` would run it: the ziggurat's rare paths and any redraw of the normal take further draws
  /// from the stream, then the squeeze and the logarithmic test; a rejected attempt starts a fresh one.
  mutating func finishGammaAttempt(_ shape: GammaShape, normalBits bits: UInt64, u: Double) -> Double {
    let layer = Int(truncatingIfNeeded: bits & 0xFF)
    let uz = Double(bits &>> 11) * 0x1p-52 - 1
    var x: Double
    if abs(uz) < ZigguratNormal.ratio[layer] {
      x = uz * ZigguratNormal.x[layer]
    } else {
      x = normalOutsideCore(layer: layer, u: uz) ?? normal()
    }
    var v = 1 + shape.c * x
    while v <= 0 {
      x = normal()
      v = 1 + shape.c * x
    }
    v = v * v * v
    let x2 = x * x
    if u < 1 - 0.0331 * (x2 * x2) { return shape.d * v }
    if AdLabMath.log(u) < 0.5 * x2 + shape.d * (1 - v + AdLabMath.log(v)) { return shape.d * v }
    return marsagliaTsang(shape)
  }
}

/// The kernel-class dispatch of `gamma_lanes.c`; `run` returns how many attempts it left undecided.
enum GammaLanesKernel {
  static func run(
    _ kernels: KernelClass, key: SIMD2<UInt32>, first: UInt64, count: Int, d: Double, c: Double,
    zigX: UnsafePointer<Double>, zigRatio: UnsafePointer<Double>, out: UnsafeMutablePointer<Double>,
    normalBits: UnsafeMutablePointer<UInt64>, uniforms: UnsafeMutablePointer<Double>,
    undecided: UnsafeMutablePointer<Int>
  ) -> Int {
    switch kernels {
    case .portable:
      adlab_gamma_lanes_portable(
        key[0], key[1], first, count, d, c, zigX, zigRatio, out, normalBits, uniforms, undecided)
    case .x86_64_v3:
      adlab_gamma_lanes_v3(key[0], key[1], first, count, d, c, zigX, zigRatio, out, normalBits, uniforms, undecided)
    case .x86_64_v4:
      adlab_gamma_lanes_v4(key[0], key[1], first, count, d, c, zigX, zigRatio, out, normalBits, uniforms, undecided)
    }
  }
}
