/// The `Float` micro-kernel: a 6 × 8 tile held in twelve `SIMD4<Float>` accumulators.
///
/// Swift targets baseline x86-64 (SSE2) on Linux, so a SIMD vector register holds 4 floats
/// and there are 16 of them: 12 accumulators, 2 `B` vectors and 2 temporaries fill the file
/// exactly. (A 4 × 16 `SIMD8` tile needs 16 accumulators and spills; a 6 × 16 tile needs 24.)
/// `A` arrives pre-broadcast, so each `k` step is 8 vector loads, 12 multiplies and 12 adds
/// with no shuffles: about 41 GFLOP/s out of a 16 flop/cycle SSE peak here.
enum SGEMMKernel: GEMMMicroKernel {
  typealias Scalar = Float
  typealias V = SIMD4<Float>

  static var mr: Int { 6 }
  static var nr: Int { 8 }
  static var lanes: Int { 4 }
  static var blocking: GEMMBlocking { .float }

  @inline(__always)
  static func splat(_ value: Float, to dst: UnsafeMutablePointer<Float>) {
    storeVector(V(repeating: value), dst, 0)
  }

  @inline(__always)
  static func copySliverRow(from src: UnsafePointer<Scalar>, to dst: UnsafeMutablePointer<Scalar>) {
    storeVector(loadVectorUnaligned(src, 0, as: V.self), dst, 0)
    storeVector(loadVectorUnaligned(src, 4, as: V.self), dst, 4)
  }

  @inline(never)
  static func kernel(
    kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float, start: GEMMTileStart
  ) {
    var t = Tile()
    switch start {
    case .zero: break
    case .load: t.load(c, ldc)
    case .scaled:
      t.load(c, ldc)
      t.scale(by: V(repeating: beta))
    }
    var pa = a
    var pb = b
    var p = 0
    while p < kc {
      t.step(pa, pb)
      pa += 24
      pb += 8
      p &+= 1
    }
    t.store(c, ldc)
  }

  /// Twelve accumulators: `l0…l5` hold columns 0–3 of rows 0–5, `h0…h5` columns 4–7.
  struct Tile {
    var l0 = V(), l1 = V(), l2 = V(), l3 = V(), l4 = V(), l5 = V()
    var h0 = V(), h1 = V(), h2 = V(), h3 = V(), h4 = V(), h5 = V()

    /// One `k` step: `c += a * b` for the whole tile (no FMA; see ``GEMM``).
    @inline(__always)
    mutating func step(_ pa: UnsafePointer<Float>, _ pb: UnsafePointer<Float>) {
      let b0 = loadVector(pb, 0, as: V.self)
      let b1 = loadVector(pb, 4, as: V.self)
      let a0 = loadVector(pa, 0, as: V.self)
      l0 += a0 * b0
      h0 += a0 * b1
      let a1 = loadVector(pa, 4, as: V.self)
      l1 += a1 * b0
      h1 += a1 * b1
      let a2 = loadVector(pa, 8, as: V.self)
      l2 += a2 * b0
      h2 += a2 * b1
      let a3 = loadVector(pa, 12, as: V.self)
      l3 += a3 * b0
      h3 += a3 * b1
      let a4 = loadVector(pa, 16, as: V.self)
      l4 += a4 * b0
      h4 += a4 * b1
      let a5 = loadVector(pa, 20, as: V.self)
      l5 += a5 * b0
      h5 += a5 * b1
    }

    @inline(__always)
    mutating func load(_ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
      let r = UnsafePointer(c)
      l0 = loadVectorUnaligned(r, 0, as: V.self)
      h0 = loadVectorUnaligned(r, 4, as: V.self)
      l1 = loadVectorUnaligned(r, ldc, as: V.self)
      h1 = loadVectorUnaligned(r, ldc &+ 4, as: V.self)
      l2 = loadVectorUnaligned(r, 2 &* ldc, as: V.self)
      h2 = loadVectorUnaligned(r, 2 &* ldc &+ 4, as: V.self)
      l3 = loadVectorUnaligned(r, 3 &* ldc, as: V.self)
      h3 = loadVectorUnaligned(r, 3 &* ldc &+ 4, as: V.self)
      l4 = loadVectorUnaligned(r, 4 &* ldc, as: V.self)
      h4 = loadVectorUnaligned(r, 4 &* ldc &+ 4, as: V.self)
      l5 = loadVectorUnaligned(r, 5 &* ldc, as: V.self)
      h5 = loadVectorUnaligned(r, 5 &* ldc &+ 4, as: V.self)
    }

    @inline(__always)
    mutating func scale(by s: V) {
      l0 = s * l0
      l1 = s * l1
      l2 = s * l2
      l3 = s * l3
      l4 = s * l4
      l5 = s * l5
      h0 = s * h0
      h1 = s * h1
      h2 = s * h2
      h3 = s * h3
      h4 = s * h4
      h5 = s * h5
    }

    @inline(__always)
    func store(_ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
      storeVector(l0, c, 0)
      storeVector(h0, c, 4)
      storeVector(l1, c, ldc)
      storeVector(h1, c, ldc &+ 4)
      storeVector(l2, c, 2 &* ldc)
      storeVector(h2, c, 2 &* ldc &+ 4)
      storeVector(l3, c, 3 &* ldc)
      storeVector(h3, c, 3 &* ldc &+ 4)
      storeVector(l4, c, 4 &* ldc)
      storeVector(h4, c, 4 &* ldc &+ 4)
      storeVector(l5, c, 5 &* ldc)
      storeVector(h5, c, 5 &* ldc &+ 4)
    }
  }
}
