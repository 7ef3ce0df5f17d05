import AdLabTensor

/// The element-wise pieces of the decoder (RMSNorm, SiLU gate, softmax, the attention dot products), kept in
/// one place so class-specific kernels can replace them. Each result depends only on its inputs, in a fixed
/// order of operations, on every kernel class (plain Swift, no fused multiply-add, AdLab's own `exp`).
enum LlamaMath {
  /// `out[i] = x[i] / sqrt(mean(x²) + eps) · weight[i]`; the sum of squares in Double, as ggml does.
  static func rmsNorm(
    _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float, count: Int,
    into out: UnsafeMutablePointer<Float>
  ) {
    var sum = 0.0
    for i in 0..<count { sum += Double(x[i] * x[i]) }
    let mean = Float(sum / Double(count))
    let scale = 1 / (mean + epsilon).squareRoot()
    for i in 0..<count { out[i] = x[i] * scale * weight[i] }
  }

  /// `gate[i] = silu(gate[i]) · up[i]` with `silu(g) = g / (1 + exp(−g))`.
  static func siluGate(_ gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
    for i in 0..<count {
      let g = gate[i]
      gate[i] = g / (1 + AdLabMath.exp(-g)) * up[i]
    }
  }

  /// Softmax in place over `count` scores, shifted by their maximum; sums left to right in Double.
  static func softmax(_ scores: UnsafeMutablePointer<Float>, count: Int) {
    var maximum = -Float.infinity
    for i in 0..<count { maximum = Swift.max(maximum, scores[i]) }
    var sum = 0.0
    for i in 0..<count {
      let e = AdLabMath.exp(scores[i] - maximum)
      scores[i] = e
      sum += Double(e)
    }
    let inverse = Float(1 / sum)
    for i in 0..<count { scores[i] *= inverse }
  }

  /// `Σ a[i]·b[i]` over `count` (a multiple of 8) in 8 lanes, lanes summed by halving.
  @inline(__always)
  static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var acc = SIMD8<Float>()
    var i = 0
    while i < count {
      let va = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
      let vb = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
      acc = acc + va * vb
      i += 8
    }
    let four = acc.lowHalf + acc.highHalf
    let two = four.lowHalf + four.highHalf
    return two[0] + two[1]
  }

  /// `out[i] += scale · v[i]` over `count` (a multiple of 8).
  @inline(__always)
  static func addScaled(_ v: UnsafePointer<Float>, scale: Float, count: Int, into out: UnsafeMutablePointer<Float>) {
    let s = SIMD8<Float>(repeating: scale)
    var i = 0
    while i < count {
      let raw = UnsafeMutableRawPointer(out + i)
      let sum =
        raw.loadUnaligned(as: SIMD8<Float>.self) + s * UnsafeRawPointer(v + i).loadUnaligned(as: SIMD8<Float>.self)
      raw.storeBytes(of: sum, as: SIMD8<Float>.self)
      i += 8
    }
  }

  /// Rounds each value to the nearest fp16 (ties to even), as llama.cpp's fp16 KV cache and attention inputs do.
  static func roundToHalf(_ values: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { values[i] = Float(Float16(values[i])) }
  }
}
