import Testing

@testable import AdLabTensor

/// One GEMM call to test: shape, transposes, scalars and extra leading-dimension padding.
struct GEMMCase: Sendable, CustomTestStringConvertible {
  var m: Int
  var n: Int
  var k: Int
  var transA = false
  var transB = false
  var alpha = 1.0
  var beta = 0.0
  /// Added to every leading dimension (0 = tightly packed).
  var pad = 0
  var seed: UInt64 = 1

  var testDescription: String {
    "\(m)x\(n)x\(k) tA=\(transA) tB=\(transB) α=\(alpha) β=\(beta) pad=\(pad)"
  }
  var lda: Int { (transA ? m : k) + pad }
  var ldb: Int { (transB ? k : n) + pad }
  var ldc: Int { n + pad }
  var aCount: Int { max(1, (transA ? k : m) * lda) }
  var bCount: Int { max(1, (transB ? n : k) * ldb) }
  var cCount: Int { max(1, m * ldc) }
}

/// Deterministic operands in [-1, 1) (24-bit values, exact in `Float`), from a 64-bit LCG.
struct GEMMTestData<Scalar: BinaryFloatingPoint> {
  var a: [Scalar]
  var b: [Scalar]
  var c: [Scalar]

  init(_ t: GEMMCase) {
    var state = t.seed &* 0x9E37_79B9_7F4A_7C15 | 1
    func next() -> Scalar {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Scalar(Int64(state >> 40) - (1 << 23)) / Scalar(1 << 23)
    }
    a = (0..<t.aCount).map { _ in next() }
    b = (0..<t.bCount).map { _ in next() }
    c = (0..<t.cCount).map { _ in next() }
  }
}

enum GEMMReference {
  /// The documented bit-exact contract of ``GEMM``, as a plain i-j-p loop in `Scalar`:
  /// `c = beta == 0 ? 0 : beta*c; for p in 0..<k { c = c + (alpha*a[i][p]) * b[p][j] }`.
  static func exactOrder<Scalar: BinaryFloatingPoint>(
    _ t: GEMMCase, _ d: GEMMTestData<Scalar>
  ) -> [Scalar] {
    var c = d.c
    let alpha = Scalar(t.alpha)
    let beta = Scalar(t.beta)
    for i in 0..<t.m {
      for j in 0..<t.n {
        var acc: Scalar = beta == 0 ? 0 : beta * c[i * t.ldc + j]
        if t.k > 0 && alpha != 0 {
          for p in 0..<t.k {
            let aip = t.transA ? d.a[p * t.lda + i] : d.a[i * t.lda + p]
            let bpj = t.transB ? d.b[j * t.ldb + p] : d.b[p * t.ldb + j]
            acc = acc + (alpha * aip) * bpj
          }
        }
        c[i * t.ldc + j] = acc
      }
    }
    return c
  }

  /// The FMA classes' contract as a plain i-j-p loop: the same order as ``exactOrder(_:_:)`` but
  /// `c = fma(alpha·a[i][p], b[p][j], c)` (Swift's `addingProduct` rounds once).
  static func fmaOrder<Scalar: BinaryFloatingPoint>(
    _ t: GEMMCase, _ d: GEMMTestData<Scalar>
  ) -> [Scalar] {
    var c = d.c
    let alpha = Scalar(t.alpha)
    let beta = Scalar(t.beta)
    for i in 0..<t.m {
      for j in 0..<t.n {
        var acc: Scalar = beta == 0 ? 0 : beta * c[i * t.ldc + j]
        if t.k > 0 && alpha != 0 {
          for p in 0..<t.k {
            let aip = t.transA ? d.a[p * t.lda + i] : d.a[i * t.lda + p]
            let bpj = t.transB ? d.b[j * t.ldb + p] : d.b[p * t.ldb + j]
            acc = acc.addingProduct(alpha * aip, bpj)
          }
        }
        c[i * t.ldc + j] = acc
      }
    }
    return c
  }

  /// The bit-exact reference of a kernel class: separate roundings for `portable`, FMA otherwise.
  static func reference<Scalar: BinaryFloatingPoint>(
    _ t: GEMMCase, _ d: GEMMTestData<Scalar>, kernels: KernelClass
  ) -> [Scalar] {
    kernels == .portable ? exactOrder(t, d) : fmaOrder(t, d)
  }

  /// `alpha · Σ a·b + beta · c` evaluated in `Double`, plus the magnitude
  /// `|alpha| · Σ|a||b| + |beta||c|` that scales the error bound.
  static func highPrecision<Scalar: BinaryFloatingPoint>(
    _ t: GEMMCase, _ d: GEMMTestData<Scalar>
  ) -> (value: [Double], magnitude: [Double]) {
    var value = d.c.map { Double($0) }
    var magnitude = [Double](repeating: 0, count: value.count)
    for i in 0..<t.m {
      for j in 0..<t.n {
        var sum = 0.0
        var abs = 0.0
        for p in 0..<t.k {
          let aip = Double(t.transA ? d.a[p * t.lda + i] : d.a[i * t.lda + p])
          let bpj = Double(t.transB ? d.b[j * t.ldb + p] : d.b[p * t.ldb + j])
          sum += aip * bpj
          abs += Swift.abs(aip * bpj)
        }
        let c0 = value[i * t.ldc + j]
        value[i * t.ldc + j] = t.alpha * sum + (t.beta == 0 ? 0 : t.beta * c0)
        magnitude[i * t.ldc + j] = Swift.abs(t.alpha) * abs + Swift.abs(t.beta * c0)
      }
    }
    return (value, magnitude)
  }
}

/// `Float` and `Double` as seen by the tests: one entry point into each GEMM flavour.
protocol GEMMTestScalar: BinaryFloatingPoint, Sendable {
  /// Unit roundoff `u = 2^-p` (half an ulp of 1).
  static var unitRoundoff: Double { get }
  /// Runs the public routine or, with `blocking`, the driver with those block sizes.
  static func gemm(
    _ t: GEMMCase, a: UnsafePointer<Self>, b: UnsafePointer<Self>, c: UnsafeMutablePointer<Self>,
    threads: Int, blocking: GEMMBlocking?, kernels: KernelClass)
}

extension Float: GEMMTestScalar {
  static var unitRoundoff: Double { 0x1p-24 }
  static func gemm(
    _ t: GEMMCase, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, threads: Int, blocking: GEMMBlocking?, kernels: KernelClass
  ) {
    if let blocking {
      let problem = GEMMProblem(
        transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: Float(t.alpha),
        a: a, lda: t.lda, b: b, ldb: t.ldb, beta: Float(t.beta), c: c, ldc: t.ldc)
      switch kernels {
      case .portable: GEMMDriver<SGEMMKernel>.run(problem, threads: threads, blocking: blocking)
      case .x86_64_v3: GEMMDriver<SGEMMKernelV3>.run(problem, threads: threads, blocking: blocking)
      case .x86_64_v4: GEMMDriver<SGEMMKernelV4>.run(problem, threads: threads, blocking: blocking)
      }
    } else {
      GEMM.sgemm(
        transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: Float(t.alpha),
        a: a, lda: t.lda, b: b, ldb: t.ldb, beta: Float(t.beta), c: c, ldc: t.ldc,
        threads: threads)
    }
  }
}

extension Double: GEMMTestScalar {
  static var unitRoundoff: Double { 0x1p-53 }
  static func gemm(
    _ t: GEMMCase, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
    c: UnsafeMutablePointer<Double>, threads: Int, blocking: GEMMBlocking?, kernels: KernelClass
  ) {
    if let blocking {
      let problem = GEMMProblem(
        transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
        a: a, lda: t.lda, b: b, ldb: t.ldb, beta: t.beta, c: c, ldc: t.ldc)
      switch kernels {
      case .portable: GEMMDriver<DGEMMKernel>.run(problem, threads: threads, blocking: blocking)
      case .x86_64_v3: GEMMDriver<DGEMMKernelV3>.run(problem, threads: threads, blocking: blocking)
      case .x86_64_v4: GEMMDriver<DGEMMKernelV4>.run(problem, threads: threads, blocking: blocking)
      }
    } else {
      GEMM.dgemm(
        transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
        a: a, lda: t.lda, b: b, ldb: t.ldb, beta: t.beta, c: c, ldc: t.ldc, threads: threads)
    }
  }
}

/// Runs GEMM on a copy of the case's `C` under `kernels` (a task-local override, so tests running
/// in parallel under other classes are not affected) and returns it.
func runGEMM<Scalar: GEMMTestScalar>(
  _ t: GEMMCase, _ d: GEMMTestData<Scalar>, threads: Int, blocking: GEMMBlocking? = nil,
  kernels: KernelClass = .portable
) -> [Scalar] {
  var c = d.c
  d.a.withUnsafeBufferPointer { a in
    d.b.withUnsafeBufferPointer { b in
      c.withUnsafeMutableBufferPointer { c in
        // Never empty: GEMMCase sizes every buffer to at least one element.
        guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
        // Only supported classes are passed (tests iterate `KernelClass.supported`).
        try! KernelClass.withClass(kernels) {
          Scalar.gemm(t, a: a, b: b, c: c, threads: threads, blocking: blocking, kernels: kernels)
        }
      }
    }
  }
  return c
}

/// True when both arrays hold the same bit patterns (so NaNs and signed zeros count).
func bitwiseEqual<Scalar: BinaryFloatingPoint>(_ x: [Scalar], _ y: [Scalar]) -> Bool {
  x.count == y.count
    && zip(x, y).allSatisfy {
      $0.sign == $1.sign && $0.exponentBitPattern == $1.exponentBitPattern
        && $0.significandBitPattern == $1.significandBitPattern
    }
}
