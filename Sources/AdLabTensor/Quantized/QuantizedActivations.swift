/// Float activation vectors quantised per 32-block to int8 codes, for the 8-bit-activation products
/// (``QuantizedMatrix/multiply(_:into:outputStride:kernels:threads:)``), as llama.cpp's x86 Q8_1 quantiser does:
/// per block `d = max|x| / 127`, codes `x · (127 / max|x|)` rounded half to even, and `d` and `d · Σ codes` kept at
/// fp16 precision (stored as Float).
public struct QuantizedActivations: Sendable {
  /// Vectors held.
  public let vectors: Int
  /// Elements per vector (a multiple of 32).
  public let columns: Int
  var codes: [Int8]
  var scales: [Float]
  var scaledSums: [Float]

  /// Quantises `vectors` vectors of `columns` floats (a positive multiple of 32) stored one after another at `x`.
  /// A NaN element becomes code 0 (it cannot be represented; the caller's result is then meaningless anyway).
  public init(quantizing x: UnsafePointer<Float>, vectors: Int, columns: Int) {
    precondition(columns > 0 && columns % QuantizedBlockFormat.blockLength == 0, "columns must be a multiple of 32")
    self.vectors = vectors
    self.columns = columns
    let blocks = vectors * columns / QuantizedBlockFormat.blockLength
    var codes = [Int8](repeating: 0, count: vectors * columns)
    var scales = [Float](repeating: 0, count: blocks)
    var scaledSums = [Float](repeating: 0, count: blocks)
    for block in 0..<blocks {
      let values = x + block * 32
      var largest: Float = 0
      for i in 0..<32 { largest = Swift.max(largest, abs(values[i])) }
      let d = largest / 127
      let inverse: Float = largest == 0 ? 0 : 127 / largest
      var sum = 0
      for i in 0..<32 {
        let scaled = (values[i] * inverse).rounded(.toNearestOrEven)
        let code = scaled.isNaN ? 0 : Int(Swift.max(-127, Swift.min(127, scaled)))
        codes[block * 32 + i] = Int8(truncatingIfNeeded: code)
        sum += code
      }
      scales[block] = Float(Float16(d))
      scaledSums[block] = Float(Float16(Float(sum) * d))
    }
    self.codes = codes
    self.scales = scales
    self.scaledSums = scaledSums
  }
}
