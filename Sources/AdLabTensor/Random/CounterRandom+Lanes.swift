internal import CAdLabKernels

/// Many `CounterRandom` uniforms per call, computed on lanes of Philox blocks (`counter_lanes.c`, vectorised per
/// kernel class). The layout is CounterRandom's, and the values are the same bits as the scalar
/// ``CounterRandom/uniform(key:_:_:)`` in every class (integer arithmetic and exact conversions only).
extension CounterRandom {
  /// `out[i] = uniform(key: key, a[i], b[i])` for every `i`: one position per decision, e.g. (step, chosen ad).
  ///
  /// - Precondition: `a`, `b` and `out` have the same count.
  public static func uniforms(
    key: StreamKey, a: UnsafeBufferPointer<UInt64>, b: UnsafeBufferPointer<UInt64>,
    into out: UnsafeMutableBufferPointer<Double>
  ) {
    precondition(
      a.count == out.count && b.count == out.count,
      "CounterRandom.uniforms: a (\(a.count)), b (\(b.count)) and out (\(out.count)) must have the same count")
    guard let first = a.baseAddress, let second = b.baseAddress, let base = out.baseAddress else { return }
    let k = key.philoxKey, count = out.count
    switch KernelClass.current {
    case .portable: adlab_counter_uniforms_portable(k[0], k[1], first, second, count, base)
    case .x86_64_v3: adlab_counter_uniforms_v3(k[0], k[1], first, second, count, base)
    case .x86_64_v4: adlab_counter_uniforms_v4(k[0], k[1], first, second, count, base)
    }
  }

  /// `out[r · columns + b] = uniform(key: key, firstA + r, b)` for `r < rows`, `b < columns`: rows of consecutive
  /// positions, e.g. one user vector per step; the same values as ``uniforms(key:a:count:into:)`` row by row.
  ///
  /// - Precondition: `rows ≥ 0`, `columns ≥ 0` and `out` holds `rows · columns` values.
  public static func uniformRows(
    key: StreamKey, firstA: UInt64, rows: Int, columns: Int, into out: UnsafeMutableBufferPointer<Double>
  ) {
    precondition(
      rows >= 0 && columns >= 0 && out.count >= rows * columns,
      "CounterRandom.uniformRows: \(rows) × \(columns) values do not fit a buffer of \(out.count)")
    guard rows > 0, columns > 0, let base = out.baseAddress else { return }
    let k = key.philoxKey
    switch KernelClass.current {
    case .portable: adlab_counter_uniform_rows_portable(k[0], k[1], firstA, rows, columns, base)
    case .x86_64_v3: adlab_counter_uniform_rows_v3(k[0], k[1], firstA, rows, columns, base)
    case .x86_64_v4: adlab_counter_uniform_rows_v4(k[0], k[1], firstA, rows, columns, base)
    }
  }
}
