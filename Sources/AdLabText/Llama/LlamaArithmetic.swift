/// How the decoder's matrix products treat activations.
public enum LlamaArithmetic: String, Sendable, CaseIterable {
  /// Weights dequantised on the fly and multiplied with float32 activations: the arithmetic of running the
  /// dequantised model in float32 (what transformers does with a GGUF file).
  case float
  /// Activations quantised to 8 bits per 32-block and multiplied with the quantised weights in integers, and the
  /// KV cache, queries and attention probabilities rounded to fp16: llama.cpp's CPU arithmetic.
  case int8
}
