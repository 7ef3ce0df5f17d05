internal import CAdLabKernels

// The FMA classes' GEMM micro-kernels: C functions in CAdLabKernels compiled for one instruction
// set each (Swift cannot compile a single function for AVX2). Swift keeps packing, blocking and
// threading (GEMMDriver); these only adapt the C entry points to `GEMMMicroKernel`.
//
// `lanes` is 1: the C kernels broadcast each packed `A` element from memory (a free operand of
// the FMA on AVX-512, one `vbroadcastss` on AVX2), so pre-broadcasting would only cost cache.
// Per tile element they compute `c = start(C); for p in 0..<kc { c = fma(alpha·a[p], b[p], c) }`.
//
// Blocking: `KC = 256`; `NC` is set so the packed `B` panel (`KC × NC`) is 512 KiB and stays in
// L2 (1 MiB per core on Zen 5) while `A` micro-panels (12 × 256 × 4 B = 12 KiB) sit in L1.
// Measured on Zen 5 for sgemm v4: KC 192–384 and NC 512–2048 are all within noise (±3%) at
// 256³–1024³; KC = 512 is 5–10% slower. The kernels are 2× (v3) / 4× (v4) faster than portable,
// so a second thread pays off only at 2× / 8× the work: `workPerThread` 2²⁰ / 2²¹ (128³ sgemm ran
// at 200 GFLOP/s on 1 thread and 132 on 2 with portable's 2¹⁸).

extension GEMMTileStart {
  /// The C kernels' `start` code: 0 = zero, 1 = beta·C, 2 = C.
  var code: Int32 {
    switch self {
    case .zero: 0
    case .scaled: 1
    case .load: 2
    }
  }
}

/// `Float`, x86-64-v3: 6 × 16 tile of 12 ymm accumulators.
enum SGEMMKernelV3: GEMMMicroKernel {
  typealias Scalar = Float
  static var mr: Int { 6 }
  static var nr: Int { 16 }
  static var lanes: Int { 1 }
  static var blocking: GEMMBlocking { GEMMBlocking(kc: 256, nc: 512, workPerThread: 1 << 20) }

  @inline(__always)
  static func splat(_ value: Float, to dst: UnsafeMutablePointer<Float>) { dst.pointee = value }

  @inline(__always)
  static func copySliverRow(from src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>) {
    dst.update(from: src, count: 16)
  }

  @inline(__always)
  static func kernel(
    kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
    ldc: Int, beta: Float, start: GEMMTileStart
  ) {
    adlab_sgemm_v3_6x16(kc, a, b, c, ldc, beta, start.code)
  }
}

/// `Double`, x86-64-v3: 6 × 8 tile of 12 ymm accumulators.
enum DGEMMKernelV3: GEMMMicroKernel {
  typealias Scalar = Double
  static var mr: Int { 6 }
  static var nr: Int { 8 }
  static var lanes: Int { 1 }
  static var blocking: GEMMBlocking { GEMMBlocking(kc: 256, nc: 256, workPerThread: 1 << 20) }

  @inline(__always)
  static func splat(_ value: Double, to dst: UnsafeMutablePointer<Double>) { dst.pointee = value }

  @inline(__always)
  static func copySliverRow(from src: UnsafePointer<Double>, to dst: UnsafeMutablePointer<Double>) {
    dst.update(from: src, count: 8)
  }

  @inline(__always)
  static func kernel(
    kc: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>,
    ldc: Int, beta: Double, start: GEMMTileStart
  ) {
    adlab_dgemm_v3_6x8(kc, a, b, c, ldc, beta, start.code)
  }
}

/// `Float`, x86-64-v4: 12 × 32 tile of 24 zmm accumulators.
enum SGEMMKernelV4: GEMMMicroKernel {
  typealias Scalar = Float
  static var mr: Int { 12 }
  static var nr: Int { 32 }
  static var lanes: Int { 1 }
  static var blocking: GEMMBlocking { GEMMBlocking(kc: 256, nc: 512, workPerThread: 1 << 21) }

  @inline(__always)
  static func splat(_ value: Float, to dst: UnsafeMutablePointer<Float>) { dst.pointee = value }

  @inline(__always)
  static func copySliverRow(from src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>) {
    dst.update(from: src, count: 32)
  }

  @inline(__always)
  static func kernel(
    kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
    ldc: Int, beta: Float, start: GEMMTileStart
  ) {
    adlab_sgemm_v4_12x32(kc, a, b, c, ldc, beta, start.code)
  }
}

/// `Double`, x86-64-v4: 12 × 16 tile of 24 zmm accumulators.
enum DGEMMKernelV4: GEMMMicroKernel {
  typealias Scalar = Double
  static var mr: Int { 12 }
  static var nr: Int { 16 }
  static var lanes: Int { 1 }
  static var blocking: GEMMBlocking { GEMMBlocking(kc: 256, nc: 256, workPerThread: 1 << 21) }

  @inline(__always)
  static func splat(_ value: Double, to dst: UnsafeMutablePointer<Double>) { dst.pointee = value }

  @inline(__always)
  static func copySliverRow(from src: UnsafePointer<Double>, to dst: UnsafeMutablePointer<Double>) {
    dst.update(from: src, count: 16)
  }

  @inline(__always)
  static func kernel(
    kc: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>,
    ldc: Int, beta: Double, start: GEMMTileStart
  ) {
    adlab_dgemm_v4_12x16(kc, a, b, c, ldc, beta, start.code)
  }
}
