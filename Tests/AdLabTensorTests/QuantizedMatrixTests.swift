import Testing

@testable import AdLabTensor

/// The quantised float-path kernels: dequantisation of hand-built blocks, each class bitwise against a scalar
/// model of its documented order, and independence from batch size and thread count.
struct QuantizedMatrixTests {
  /// The scalar model of one output element of a class (see `quant_float_body.h`): one accumulator of `lanes`
  /// lanes; per block and chunk of `lanes` weights, dequantise and multiply-add lane-wise; then sum by halving.
  static func referenceDot(
    format: QuantizedBlockFormat, row: UnsafeRawPointer, x: UnsafePointer<Float>, columns: Int, kernels: KernelClass
  ) -> Float {
    let lanes = kernels == .x86_64_v4 ? 16 : 8
    let fused = kernels != .portable
    var acc = [Float](repeating: 0, count: lanes)
    for block in 0..<(columns / 32) {
      let start = row + block * format.blockBytes
      let d = QuantizedBlockFormat.half(start, at: 0)
      let m: Float = format == .q4_1 ? QuantizedBlockFormat.half(start, at: 2) : 0
      for element in 0..<32 {
        let w: Float
        switch format {
        case .q4_1:
          let byte = start.load(fromByteOffset: 4 + element % 16, as: UInt8.self)
          let q = Float(element < 16 ? byte & 0xF : byte >> 4)
          w = fused ? m.addingProduct(q, d) : q * d + m
        case .q8_0:
          w = Float(start.load(fromByteOffset: 2 + element, as: Int8.self)) * d
        }
        let xv = x[block * 32 + element]
        let lane = element % lanes
        acc[lane] = fused ? acc[lane].addingProduct(w, xv) : acc[lane] + w * xv
      }
    }
    var half = lanes / 2
    while half >= 1 {
      for i in 0..<half { acc[i] = acc[i] + acc[i + half] }
      half /= 2
    }
    return acc[0]
  }

  /// Random blocks with scales of realistic size (fp16 of magnitude ~0.01–0.1) and random codes.
  static func randomMatrixBytes(format: QuantizedBlockFormat, rows: Int, columns: Int, seed: UInt64) -> [UInt8] {
    var random = RandomStream(key: StreamKey(seed: seed).child("quantised-weights"))
    let blocks = rows * columns / 32
    var bytes = [UInt8](repeating: 0, count: blocks * format.blockBytes)
    for block in 0..<blocks {
      let base = block * format.blockBytes
      let d = Float16(Float(random.uniform(in: 0.001..<0.1)))
      let m = Float16(Float(random.uniform(in: -0.5..<0.0)))
      bytes[base] = UInt8(d.bitPattern & 0xFF)
      bytes[base + 1] = UInt8(d.bitPattern >> 8)
      var codesStart = base + 2
      if format == .q4_1 {
        bytes[base + 2] = UInt8(m.bitPattern & 0xFF)
        bytes[base + 3] = UInt8(m.bitPattern >> 8)
        codesStart = base + 4
      }
      for i in codesStart..<(base + format.blockBytes) { bytes[i] = UInt8(truncatingIfNeeded: random.nextUInt32()) }
    }
    return bytes
  }

  static func randomVectors(count: Int, seed: UInt64) -> [Float] {
    var random = RandomStream(key: StreamKey(seed: seed).child("activations"))
    return (0..<count).map { _ in Float(random.uniform(in: -2..<2)) }
  }

  @Test func dequantisesHandBuiltBlocks() throws {
    // Q4_1: d = 0.5, m = -1; codes 0...15 in the low nibbles, 15...0 in the high ones.
    var q41: [UInt8] = [0x00, 0x38, 0x00, 0xBC]  // fp16 0.5 = 0x3800, -1 = 0xBC00
    for j in 0..<16 { q41.append(UInt8(j) | UInt8(15 - j) << 4) }
    var out = [Float](repeating: .nan, count: 32)
    q41.withUnsafeBytes { QuantizedBlockFormat.q4_1.dequantizeBlock($0.baseAddress!, into: &out) }
    let low: [Float] = (0..<16).map { Float($0) * 0.5 - 1 }
    let high: [Float] = (0..<16).map { Float(15 - $0) * 0.5 - 1 }
    #expect(out == low + high)

    // Q8_0: d = 0.25; codes -128, -127, ..., covering the sign.
    var q80: [UInt8] = [0x00, 0x34]  // fp16 0.25 = 0x3400
    let codes: [Int8] = (0..<32).map { Int8(truncatingIfNeeded: $0 * 8 - 128) }
    q80 += codes.map { UInt8(bitPattern: $0) }
    q80.withUnsafeBytes { QuantizedBlockFormat.q8_0.dequantizeBlock($0.baseAddress!, into: &out) }
    let scaled: [Float] = codes.map { Float($0) * 0.25 }
    #expect(out == scaled)

    // A subnormal fp16 scale (2^-24) is read exactly.
    q80[0] = 0x01
    q80[1] = 0x00
    q80.withUnsafeBytes { QuantizedBlockFormat.q8_0.dequantizeBlock($0.baseAddress!, into: &out) }
    let tiny: Float = Float(codes[31]) * 0x1p-24
    #expect(out[31] == tiny)
  }

  @Test(arguments: KernelClass.supported, QuantizedBlockFormat.allCases)
  func kernelMatchesItsScalarOrderBitwise(_ kernels: KernelClass, _ format: QuantizedBlockFormat) throws {
    // 37 rows (tiles of 8, 4, 2 and a single-row leftover), 7 vectors (tiles of 4 and 2 plus leftovers), 6 blocks.
    let rows = 37
    let columns = 192
    let vectors = 7
    let bytes = Self.randomMatrixBytes(format: format, rows: rows, columns: columns, seed: 11)
    let x = Self.randomVectors(count: vectors * columns, seed: 12)
    try bytes.withUnsafeBytes { raw in
      let matrix = try QuantizedMatrix(name: "w", format: format, rows: rows, columns: columns, bytes: raw)
      for batch in [1, vectors] {
        var y = [Float](repeating: .nan, count: batch * rows)
        x.withUnsafeBufferPointer {
          matrix.multiply($0.baseAddress!, vectors: batch, into: &y, kernels: kernels, threads: 1)
        }
        for v in 0..<batch {
          for r in 0..<rows {
            let expected = x.withUnsafeBufferPointer {
              Self.referenceDot(
                format: format, row: raw.baseAddress! + r * matrix.rowBytes, x: $0.baseAddress! + v * columns,
                columns: columns, kernels: kernels)
            }
            let actual: Float = y[v * rows + r]
            #expect(actual.bitPattern == expected.bitPattern, "\(kernels) \(format) row \(r) vector \(v)")
          }
        }
      }
    }
  }

  /// The float path is close to the product of the dequantised matrix in Double (a sanity check of the
  /// reference model itself: a wrong layout would pass the bitwise test above only if both were wrong alike).
  @Test(arguments: QuantizedBlockFormat.allCases)
  func agreesWithDequantisedProduct(_ format: QuantizedBlockFormat) throws {
    let rows = 9
    let columns = 96
    let bytes = Self.randomMatrixBytes(format: format, rows: rows, columns: columns, seed: 21)
    let x = Self.randomVectors(count: columns, seed: 22)
    try bytes.withUnsafeBytes { raw in
      let matrix = try QuantizedMatrix(name: "w", format: format, rows: rows, columns: columns, bytes: raw)
      var y = [Float](repeating: 0, count: rows)
      x.withUnsafeBufferPointer {
        matrix.multiply($0.baseAddress!, vectors: 1, into: &y, kernels: .portable, threads: 1)
      }
      var row = [Float](repeating: 0, count: columns)
      for r in 0..<rows {
        matrix.dequantizeRow(r, into: &row)
        let exact = zip(row, x).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let scale = zip(row, x).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
        let error: Double = abs(Double(y[r]) - exact)
        #expect(error <= 1e-6 * scale, "row \(r): \(y[r]) vs \(exact)")
      }
    }
  }

  /// Large enough (1.3M multiply-adds) that 2 and 7 threads really split the rows (into 2 and 4 parts).
  @Test func resultsDoNotDependOnThreads() throws {
    let rows = 1000
    let columns = 256
    let vectors = 5
    let bytes = Self.randomMatrixBytes(format: .q4_1, rows: rows, columns: columns, seed: 31)
    let x = Self.randomVectors(count: vectors * columns, seed: 32)
    let activations = QuantizedActivations(quantizing: x, vectors: vectors, columns: columns)
    try bytes.withUnsafeBytes { raw in
      let matrix = try QuantizedMatrix(name: "w", format: .q4_1, rows: rows, columns: columns, bytes: raw)
      for kernels in KernelClass.supported {
        var float: [[UInt32]] = []
        var int8: [[UInt32]] = []
        for threads in [1, 2, 7] {
          var y = [Float](repeating: .nan, count: vectors * rows)
          x.withUnsafeBufferPointer {
            matrix.multiply($0.baseAddress!, vectors: vectors, into: &y, kernels: kernels, threads: threads)
          }
          float.append(y.map(\.bitPattern))
          matrix.multiply(activations, into: &y, outputStride: rows, kernels: kernels, threads: threads)
          int8.append(y.map(\.bitPattern))
        }
        #expect(float[0] == float[1] && float[0] == float[2], "\(kernels)")
        #expect(int8[0] == int8[1] && int8[0] == int8[2], "\(kernels)")
      }
    }
  }

  /// The scalar model of one element of the 8-bit-activation path (see `quant_int8.c`): exact 4-element integer
  /// partial sums into 8 float lanes scaled per block, the Q4_1 minimum term in its own accumulator.
  static func referenceInt8Dot(
    format: QuantizedBlockFormat, row: UnsafeRawPointer, activations a: QuantizedActivations, vector: Int,
    kernels: KernelClass
  ) -> Float {
    let fused = kernels != .portable
    let blocks = a.columns / 32
    var acc = [Float](repeating: 0, count: 8)
    var minimum: Float = 0
    for block in 0..<blocks {
      let start = row + block * format.blockBytes
      let index = vector * blocks + block
      let s = QuantizedBlockFormat.half(start, at: 0) * a.scales[index]
      for j in 0..<8 {
        var partial: Int32 = 0
        for t in 0..<4 {
          let element = 4 * j + t
          let w: Int32
          switch format {
          case .q4_1:
            let byte = start.load(fromByteOffset: 4 + element % 16, as: UInt8.self)
            w = Int32(element < 16 ? byte & 0xF : byte >> 4)
          case .q8_0:
            w = Int32(start.load(fromByteOffset: 2 + element, as: Int8.self))
          }
          partial += w * Int32(a.codes[vector * a.columns + block * 32 + element])
        }
        acc[j] = fused ? acc[j].addingProduct(Float(partial), s) : acc[j] + Float(partial) * s
      }
      if format == .q4_1 {
        let m = QuantizedBlockFormat.half(start, at: 2)
        minimum = fused ? minimum.addingProduct(m, a.scaledSums[index]) : minimum + m * a.scaledSums[index]
      }
    }
    for half in [4, 2, 1] {
      for i in 0..<half { acc[i] = acc[i] + acc[i + half] }
    }
    return acc[0] + minimum
  }

  @Test func activationsQuantiseAsQ8_1() {
    // One block with max |x| = 127, so d = 1 and the codes are x rounded half to even (2.5 → 2, where rounding
    // half away from zero would give 3; −63.5 → −64).
    var x = [Float](repeating: 0, count: 32)
    x[0] = 127
    x[1] = -63.5
    x[2] = 2.5
    x[3] = -2.5
    let a = QuantizedActivations(quantizing: x, vectors: 1, columns: 32)
    let firstCodes: [Int8] = Array(a.codes.prefix(4))
    #expect(firstCodes == [127, -64, 2, -2])
    #expect(a.scales == [1])
    #expect(a.scaledSums == [63])
    // An all-zero block has scale 0 and codes 0.
    let zero = QuantizedActivations(quantizing: [Float](repeating: 0, count: 32), vectors: 1, columns: 32)
    #expect(zero.codes.allSatisfy { $0 == 0 } && zero.scales == [0])
  }

  @Test(arguments: KernelClass.supported, QuantizedBlockFormat.allCases)
  func int8KernelMatchesItsScalarOrderBitwise(_ kernels: KernelClass, _ format: QuantizedBlockFormat) throws {
    let rows = 37
    let columns = 192
    let vectors = 7
    let bytes = Self.randomMatrixBytes(format: format, rows: rows, columns: columns, seed: 41)
    let x = Self.randomVectors(count: vectors * columns, seed: 42)
    try bytes.withUnsafeBytes { raw in
      let matrix = try QuantizedMatrix(name: "w", format: format, rows: rows, columns: columns, bytes: raw)
      for batch in [1, vectors] {
        let activations = QuantizedActivations(quantizing: x, vectors: batch, columns: columns)
        var y = [Float](repeating: .nan, count: batch * rows)
        matrix.multiply(activations, into: &y, outputStride: rows, kernels: kernels, threads: 1)
        for v in 0..<batch {
          for r in 0..<rows {
            let expected = Self.referenceInt8Dot(
              format: format, row: raw.baseAddress! + r * matrix.rowBytes, activations: activations, vector: v,
              kernels: kernels)
            let actual: Float = y[v * rows + r]
            #expect(actual.bitPattern == expected.bitPattern, "\(kernels) \(format) row \(r) vector \(v)")
          }
        }
      }
    }
  }

  @Test func shapeErrorsAreTyped() {
    let bytes = [UInt8](repeating: 0, count: 40)
    bytes.withUnsafeBytes { raw in
      #expect(throws: QuantizedMatrixError.rowLengthNotBlockMultiple(name: "w", columns: 48)) {
        try QuantizedMatrix(name: "w", format: .q4_1, rows: 1, columns: 48, bytes: raw)
      }
      #expect(throws: QuantizedMatrixError.byteCountMismatch(name: "w", expected: 60, actual: 40)) {
        try QuantizedMatrix(name: "w", format: .q4_1, rows: 3, columns: 32, bytes: raw)
      }
      #expect(
        QuantizedMatrixError.byteCountMismatch(name: "w", expected: 60, actual: 40).description.contains("truncated"))
    }
  }
}
