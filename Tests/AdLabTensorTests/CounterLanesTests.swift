import Testing

@testable import AdLabTensor

/// The lane forms of `CounterRandom` (`counter_lanes.c`) in every class the CPU supports are bitwise equal to
/// the scalar `uniform(key:_:_:)`, including lanes left over at the end and counters past 32 bits.
struct CounterLanesTests {
  @Test(arguments: KernelClass.supported, [1, 15, 16, 17, 1000])
  func pairsMatchScalar(_ kernels: KernelClass, count: Int) throws {
    let key = StreamKey(seed: 41).child("pairs")
    let a: [UInt64] = (0..<count).map { i -> UInt64 in UInt64(i) * 0x1_0000_0001 + 7 }
    // Some b past 32 bits, so the pair index has a high word.
    let b: [UInt64] = (0..<count).map { i -> UInt64 in
      let high: UInt64 = i % 3 == 0 ? 0x1_0000_0000 : 0
      return UInt64((i * 37) % 23) + high
    }
    var out = [Double](repeating: .nan, count: count)
    try KernelClass.withClass(kernels) {
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          out.withUnsafeMutableBufferPointer { CounterRandom.uniforms(key: key, a: a, b: b, into: $0) }
        }
      }
    }
    for i in 0..<count {
      #expect(out[i].bitPattern == CounterRandom.uniform(key: key, a[i], b[i]).bitPattern, "position \(i)")
    }
  }

  @Test(arguments: KernelClass.supported, [[1, 1], [3, 16], [5, 15], [7, 33], [100, 16]])
  func rowsMatchScalar(_ kernels: KernelClass, shape: [Int]) throws {
    let key = StreamKey(seed: 42).child("rows")
    let firstA: UInt64 = 0xFFFF_FFFE  // rows cross the 32-bit carry of a
    let rows = shape[0], columns = shape[1]
    var out = [Double](repeating: .nan, count: rows * columns + 3)
    try KernelClass.withClass(kernels) {
      out.withUnsafeMutableBufferPointer {
        CounterRandom.uniformRows(key: key, firstA: firstA, rows: rows, columns: columns, into: $0)
      }
    }
    for r in 0..<rows {
      for c in 0..<columns {
        let expected = CounterRandom.uniform(key: key, firstA + UInt64(r), UInt64(c))
        #expect(out[r * columns + c].bitPattern == expected.bitPattern, "row \(r), column \(c)")
      }
    }
    let past = out[(rows * columns)...]
    #expect(past.allSatisfy { $0.isNaN })  // nothing written past the rows
  }
}
