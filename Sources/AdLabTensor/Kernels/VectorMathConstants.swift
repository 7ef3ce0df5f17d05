internal import CAdLabKernels

/// The one copy of AdLabMath's tables and coefficients that the C vector kernels read, filled from
/// `AdLabMathCoefficients` (so the numbers have one source) the first time a vector kernel runs.
enum VectorMathConstants {
  /// Immutable after initialisation, so sharing the pointer between threads is safe.
  nonisolated(unsafe) static let pointer: UnsafePointer<adlab_vector_math_constants> = {
    typealias C = AdLabMathCoefficients
    var constants = adlab_vector_math_constants()
    constants.exp_reduce_scale = C.expReduceScale
    constants.exp_reduce_head = C.expReduceHead
    constants.exp_reduce_tail = C.expReduceTail
    constants.ln2_head = C.ln2Head
    constants.ln2_tail = C.ln2Tail
    fill(&constants.exp_poly, C.expPoly)
    fill(&constants.exp_table_head, C.expTableHead)
    fill(&constants.exp_table_tail, C.expTableTail)
    fill(&constants.expm1_poly, C.expm1Poly)
    fill(&constants.log_poly, C.logPoly)
    fill(&constants.erf_small_poly, C.floatErfSmallPoly)
    fill(&constants.erf_tail_poly, C.floatErfTailPoly)
    let storage = UnsafeMutablePointer<adlab_vector_math_constants>.allocate(capacity: 1)
    storage.initialize(to: constants)
    return UnsafePointer(storage)  // lives as long as the process
  }()

  /// Copies `values` into a fixed-size C array (imported as a tuple); the sizes are fixed by the generated tables.
  private static func fill<Tuple>(_ tuple: inout Tuple, _ values: [Double]) {
    withUnsafeMutableBytes(of: &tuple) { raw in
      precondition(raw.count == values.count * MemoryLayout<Double>.stride, "coefficient table size changed")
      for (index, value) in values.enumerated() {
        raw.storeBytes(of: value, toByteOffset: index * MemoryLayout<Double>.stride, as: Double.self)
      }
    }
  }
}
