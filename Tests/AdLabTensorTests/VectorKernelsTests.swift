import Testing

@testable import AdLabTensor

/// The Float row and elementwise kernels of every supported class against scalar references that spell out
/// each class's order (striped sums over `sumLanes` lanes folded by halves, fused multiply-adds in FMA
/// classes), bit for bit; and their results are the same for any thread count.
struct VectorKernelsTests {
  // MARK: - References

  /// Σ values, element j into lane j mod lanes, lanes folded by halves (lanes = 1: index order).
  static func stripedSum<T: BinaryFloatingPoint>(_ values: [T], lanes: Int) -> T {
    var acc = [T](repeating: 0, count: lanes)
    for (j, v) in values.enumerated() { acc[j % lanes] += v }
    return fold(acc)
  }

  static func fold<T: BinaryFloatingPoint>(_ lanes: [T]) -> T {
    var acc = lanes
    var half = acc.count / 2
    while half >= 1 {
      for l in 0..<half { acc[l] = acc[l] + acc[l + half] }
      half /= 2
    }
    return acc[0]
  }

  static func softmax(_ x: [Float], lanes: Int, logarithm: Bool) -> [Float] {
    var m = -Float.infinity
    for v in x where v > m || v.isNaN { m = v }
    if m == -.infinity { m = 0 }
    let e = x.map { AdLabMath.exp($0 - m) }
    let s = stripedSum(e, lanes: lanes)
    if logarithm {
      let shift = m + AdLabMath.log(s)
      return x.map { $0 - shift }
    }
    let scale = 1 / s
    return e.map { $0 * scale }
  }

  static func layerNorm(
    _ x: [Float], gain: [Float], bias: [Float], epsilon: Float, lanes: Int
  ) -> (y: [Float], mean: Float, inverse: Float) {
    let fused = lanes > 1
    let mean = stripedSum(x.map(Double.init), lanes: lanes) / Double(x.count)
    var squares = [Double](repeating: 0, count: lanes)
    for (j, v) in x.enumerated() {
      let c = Double(v) - mean
      squares[j % lanes] = fused ? squares[j % lanes].addingProduct(c, c) : squares[j % lanes] + c * c
    }
    let inverse = Float(1 / (fold(squares) / Double(x.count) + Double(epsilon)).squareRoot())
    let mean32 = Float(mean)
    let y = x.indices.map { j in
      fused ? bias[j].addingProduct((x[j] - mean32) * inverse, gain[j]) : (x[j] - mean32) * inverse * gain[j] + bias[j]
    }
    return (y, mean32, inverse)
  }

  static func rmsNorm(_ x: [Float], weight: [Float], epsilon: Float, lanes: Int) -> (y: [Float], inverse: Float) {
    var squares = [Double](repeating: 0, count: lanes)
    for (j, v) in x.enumerated() {
      let d = Double(v)
      squares[j % lanes] = lanes > 1 ? squares[j % lanes].addingProduct(d, d) : squares[j % lanes] + d * d
    }
    let inverse = Float(1 / (fold(squares) / Double(x.count) + Double(epsilon)).squareRoot())
    return (x.indices.map { (x[$0] * inverse) * weight[$0] }, inverse)
  }

  static func sigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + AdLabMath.exp(-x)) }
    let e = AdLabMath.exp(x)
    return e / (1 + e)
  }

  // MARK: - Data

  static func values(_ count: Int, seed: UInt64, scale: Double = 4) -> [Float] {
    var stream = RandomStream(key: StreamKey(seed: seed).child("vector-kernels"))
    return (0..<count).map { _ in Float(stream.uniform(in: -scale..<scale)) }
  }

  static let lengths = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 64, 100, 384, 1000]

  static func same(_ a: [Float], _ b: [Float]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
  }

  // MARK: - Tests

  @Test(arguments: KernelClass.supported)
  func elementwiseMapsGiveTheScalarBits(_ kernels: KernelClass) {
    var x = Self.values(5000, seed: 1, scale: 12) + VectorMathTests.inputs
    x += [0, -0.0, .infinity, -.infinity, .nan, 1e-40, -1e-40]
    let gelu = x.map { 0.5 * $0 * (1 + AdLabMath.erf($0 * 0.70710678118654752440)) }
    let sigmoid = x.map(Self.sigmoid)
    let silu = x.map { $0 * Self.sigmoid($0) }
    var y = [Float](repeating: 0, count: x.count)
    let n = x.count
    x.withUnsafeBufferPointer { input in
      y.withUnsafeMutableBufferPointer {
        VectorKernels.gelu(input.baseAddress!, into: $0.baseAddress!, count: n, kernels: kernels)
      }
      #expect(Self.same(y, gelu), "gelu \(kernels)")
      y.withUnsafeMutableBufferPointer {
        VectorKernels.sigmoid(input.baseAddress!, into: $0.baseAddress!, count: n, kernels: kernels)
      }
      #expect(Self.same(y, sigmoid), "sigmoid \(kernels)")
      y.withUnsafeMutableBufferPointer {
        VectorKernels.silu(input.baseAddress!, into: $0.baseAddress!, count: n, kernels: kernels)
      }
      #expect(Self.same(y, silu), "silu \(kernels)")
    }
  }

  @Test(arguments: KernelClass.supported)
  func softmaxRowsMatchTheClassOrder(_ kernels: KernelClass) {
    let lanes = VectorKernels.sumLanes(kernels)
    var rows = Self.lengths.map { Self.values($0, seed: UInt64($0), scale: 20) }
    rows.append([-.infinity, -.infinity, -.infinity])
    rows.append([1, .infinity, 2, 3, 4])
    rows.append([1, 2, .nan, 3, 4, 5, 6, 7, 8])
    rows.append([-.infinity, 0, -.infinity, 1, 2])
    for x in rows {
      for logarithm in [false, true] {
        var y = x  // in place
        y.withUnsafeMutableBufferPointer { buffer in
          let p = buffer.baseAddress!
          if logarithm {
            VectorKernels.logSoftmax(p, into: p, count: buffer.count, kernels: kernels)
          } else {
            VectorKernels.softmax(p, into: p, count: buffer.count, kernels: kernels)
          }
        }
        #expect(
          Self.same(y, Self.softmax(x, lanes: lanes, logarithm: logarithm)), "\(kernels) log \(logarithm) n \(x.count)")
      }
    }
  }

  @Test(arguments: KernelClass.supported)
  func normRowsMatchTheClassOrder(_ kernels: KernelClass) {
    let lanes = VectorKernels.sumLanes(kernels)
    for n in Self.lengths {
      let x = Self.values(n, seed: 100 + UInt64(n), scale: 3).map { $0 + 5 }  // an offset mean
      let gain = Self.values(n, seed: 200 + UInt64(n), scale: 2)
      let bias = Self.values(n, seed: 300 + UInt64(n), scale: 1)
      let expected = Self.layerNorm(x, gain: gain, bias: bias, epsilon: 1e-12, lanes: lanes)
      var y = [Float](repeating: 0, count: n)
      let (mean, inverse) = y.withUnsafeMutableBufferPointer { out in
        VectorKernels.layerNorm(
          x, gain: gain, bias: bias, epsilon: 1e-12, into: out.baseAddress!, count: n, kernels: kernels)
      }
      #expect(
        Self.same(y, expected.y) && mean == expected.mean && inverse == expected.inverse, "layerNorm \(kernels) n \(n)")

      let rms = Self.rmsNorm(x, weight: gain, epsilon: 1e-5, lanes: lanes)
      let rmsInverse = y.withUnsafeMutableBufferPointer { out in
        VectorKernels.rmsNorm(x, weight: gain, epsilon: 1e-5, into: out.baseAddress!, count: n, kernels: kernels)
      }
      #expect(Self.same(y, rms.y) && rmsInverse == rms.inverse, "rmsNorm \(kernels) n \(n)")
    }
  }

  /// Adam and AdamW steps against the formula, fused where the class fuses; three steps so moments matter.
  @Test(arguments: KernelClass.supported)
  func adamMatchesTheClassFormula(_ kernels: KernelClass) {
    let fused = kernels != .portable
    for decoupled in [false, true] {
      let n = 1003
      var w = Self.values(n, seed: 7), m = [Float](repeating: 0, count: n), v = m
      var rw = w, rm = m, rv = v
      for t in 1...3 {
        let g = Self.values(n, seed: 70 + UInt64(t))
        let step = VectorKernels.AdamStep(
          stepSize: 0.01 / (1 - Float(t) * 0.1), correction2: 0.7, beta1: 0.9, beta2: 0.999, oneMinusBeta1: 0.1,
          oneMinusBeta2: 0.001, epsilon: 1e-8, l2: decoupled ? 0 : 0.01, shrink: 0.999, decoupled: decoupled)
        VectorKernels.adam(weights: &w, first: &m, second: &v, gradient: g, count: n, step: step, kernels: kernels)
        for i in 0..<n {
          if decoupled { rw[i] *= step.shrink }
          let grad = fused ? g[i].addingProduct(step.l2, rw[i]) : g[i] + step.l2 * rw[i]
          let p = step.oneMinusBeta1 * grad, q = step.oneMinusBeta2 * (grad * grad)
          rm[i] = fused ? p.addingProduct(step.beta1, rm[i]) : step.beta1 * rm[i] + p
          rv[i] = fused ? q.addingProduct(step.beta2, rv[i]) : step.beta2 * rv[i] + q
          rw[i] -= step.stepSize * rm[i] / (rv[i].squareRoot() / step.correction2 + step.epsilon)
        }
      }
      #expect(Self.same(w, rw) && Self.same(m, rm) && Self.same(v, rv), "\(kernels) decoupled \(decoupled)")
    }
  }

  /// Scatter-add with repeated rows: each table element sums its contributions in index order, whatever the
  /// thread count; gather copies rows.
  @Test func scatterAddAndGatherAreThreadCountInvariant() {
    let width = 300, tableRows = 50
    var stream = RandomStream(key: StreamKey(seed: 5).child("rows"))
    let rows = (0..<400).map { _ in stream.int(below: tableRows) }
    let values = Self.values(rows.count * width, seed: 9, scale: 100)
    var reference = [Float](repeating: 1, count: tableRows * width)
    for (r, index) in rows.enumerated() {
      for j in 0..<width { reference[index * width + j] += values[r * width + j] }
    }
    for threads in [1, 2, 7] {
      var table = [Float](repeating: 1, count: tableRows * width)
      rows.withUnsafeBufferPointer { rowBuffer in
        table.withUnsafeMutableBufferPointer { t in
          VectorKernels.scatterAdd(
            values, rows: rowBuffer, width: width, into: t.baseAddress!, tableRows: tableRows, threads: threads)
        }
      }
      #expect(Self.same(table, reference), "scatterAdd threads \(threads)")
      var gathered = [Float](repeating: 0, count: rows.count * width)
      rows.withUnsafeBufferPointer { rowBuffer in
        gathered.withUnsafeMutableBufferPointer { out in
          VectorKernels.gather(
            table: table, tableRows: tableRows, width: width, rows: rowBuffer, into: out.baseAddress!, threads: threads)
        }
      }
      #expect(
        rows.indices.allSatisfy { r in
          (0..<width).allSatisfy { gathered[r * width + $0].bitPattern == table[rows[r] * width + $0].bitPattern }
        }, "gather threads \(threads)")
    }
  }

  /// The tensor ops that run these kernels give the same bits for 1, 2 and 7 threads in every class, and
  /// equal the row kernels they call.
  @Test(arguments: KernelClass.supported)
  func tensorOpsAreThreadCountInvariant(_ kernels: KernelClass) throws {
    let x = Tensor<Float>(shape: [300, 384], scalars: Self.values(300 * 384, seed: 21, scale: 6))
    let gamma = Tensor<Float>(shape: [384], scalars: Self.values(384, seed: 22))
    let beta = Tensor<Float>(shape: [384], scalars: Self.values(384, seed: 23))
    func run(_ threads: Int) throws -> [[Float]] {
      try KernelClass.withClass(kernels) {
        try TensorParallelism.$threads.withValue(threads) {
          [
            try x.softmax().scalars, try x.logSoftmax().scalars, x.gelu().scalars, x.sigmoid().scalars,
            x.exp().scalars, x.tanh().scalars, try x.layerNorm(gamma: gamma, beta: beta).scalars,
          ]
        }
      }
    }
    let one = try run(1)
    for threads in [2, 7] { #expect(try run(threads).map { $0.map(\.bitPattern) } == one.map { $0.map(\.bitPattern) }) }
    let row = Array(x.scalars[384..<768])
    #expect(
      Self.same(Array(one[0][384..<768]), Self.softmax(row, lanes: VectorKernels.sumLanes(kernels), logarithm: false)))
    #expect(Self.same(one[2], x.scalars.map { 0.5 * $0 * (1 + AdLabMath.erf($0 * 0.70710678118654752440)) }))
  }
}

/// A row-sparse gradient is the same whether its rows are numbered through a dense mark array (table not much
/// larger than the batch) or a hash set (a huge table): same rows ascending, same sums in the same order.
struct RowSparseGradientTests {
  @Test func denseAndHashedNumberingAgree() {
    var stream = RandomStream(key: StreamKey(seed: 3).child("sparse-rows"))
    let rows = (0..<500).map { _ in stream.int(below: 300) }
    let values = Tensor<Float>(shape: [500, 4], scalars: VectorKernelsTests.values(2000, seed: 4))
    let dense = RowSparseGradient(rowCount: 300, contributions: (rows, values))
    let hashed = RowSparseGradient(rowCount: 1_000_000, contributions: (rows, values))
    #expect(dense.indices == Array(Set(rows)).sorted())
    #expect(dense.indices == hashed.indices)
    #expect(dense.values.scalars.map(\.bitPattern) == hashed.values.scalars.map(\.bitPattern))
    // Each row's sum, in order of appearance.
    let first = dense.indices[0]
    var sum = [Float](repeating: 0, count: 4)
    for (i, row) in rows.enumerated() where row == first {
      for j in 0..<4 { sum[j] += values.scalars[i * 4 + j] }
    }
    #expect(Array(dense.values.scalars[0..<4]).map(\.bitPattern) == sum.map(\.bitPattern))
  }
}
