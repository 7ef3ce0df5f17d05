import AdLabTensor

/// Rotary position embedding as the GGUF LLaMA tensors expect it.
///
/// llama.cpp's converter permutes the rows of the query and key projections so that ggml's "normal" RoPE,
/// which rotates adjacent pairs `(x[2i], x[2i+1])` by `position · base^(−2i/d)`, gives what the original model
/// computes with its rotate-half layout on unpermuted weights. The GGUF weights are used as stored, so the
/// rotation here is the adjacent-pair one. Angles and their sines and cosines are computed in Double with
/// AdLab's own functions, so they are the same on every machine.
struct LlamaRoPE: Sendable {
  /// `base^(−2i/d)` for each rotated pair `i`.
  private let inverseFrequencies: [Double]

  init(dimensions: Int, base: Double) {
    let logBase = AdLabMath.log(base)
    inverseFrequencies = (0..<(dimensions / 2)).map { AdLabMath.exp(-Double(2 * $0) / Double(dimensions) * logBase) }
  }

  /// Pairs rotated per head.
  var pairs: Int { inverseFrequencies.count }

  /// Writes `cos` and `sin` of each pair's angle at `position` into `table[0..<2·pairs]` (cos, sin interleaved).
  func fill(position: Int, into table: UnsafeMutablePointer<Float>) {
    for (i, frequency) in inverseFrequencies.enumerated() {
      let angle = Double(position) * frequency
      table[2 * i] = Float(AdLabMath.cos(angle))
      table[2 * i + 1] = Float(AdLabMath.sin(angle))
    }
  }

  /// Rotates the first `2·pairs` dimensions of each of `heads` heads (`headDimension` apart) in place.
  func rotate(
    _ vector: UnsafeMutablePointer<Float>, heads: Int, headDimension: Int, table: UnsafePointer<Float>
  ) {
    for head in 0..<heads {
      let x = vector + head * headDimension
      for i in 0..<pairs {
        let (c, s) = (table[2 * i], table[2 * i + 1])
        let (x0, x1) = (x[2 * i], x[2 * i + 1])
        x[2 * i] = x0 * c - x1 * s
        x[2 * i + 1] = x0 * s + x1 * c
      }
    }
  }
}
