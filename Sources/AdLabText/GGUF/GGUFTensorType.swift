/// A ggml tensor element type, as numbered in a GGUF tensor info. Every type the spec names is read (so a file
/// that uses others still opens); a model refuses the ones its kernels do not implement when it asks for them.
public enum GGUFTensorType: UInt32, Sendable, CaseIterable {
  case f32 = 0
  case f16 = 1
  case q4_0 = 2
  case q4_1 = 3
  case q5_0 = 6
  case q5_1 = 7
  case q8_0 = 8
  case q8_1 = 9
  case q2_k = 10
  case q3_k = 11
  case q4_k = 12
  case q5_k = 13
  case q6_k = 14
  case q8_k = 15
  case iq2_xxs = 16
  case iq2_xs = 17
  case iq3_xxs = 18
  case iq1_s = 19
  case iq4_nl = 20
  case iq3_s = 21
  case iq2_s = 22
  case iq4_xs = 23
  case i8 = 24
  case i16 = 25
  case i32 = 26
  case i64 = 27
  case f64 = 28
  case iq1_m = 29
  case bf16 = 30
  case tq1_0 = 34
  case tq2_0 = 35
  case mxfp4 = 39

  /// Elements per block and bytes per block (ggml stores every type as whole blocks along the row).
  public var layout: (elements: Int, bytes: Int) {
    switch self {
    case .f32: return (1, 4)
    case .f16, .bf16: return (1, 2)
    case .f64, .i64: return (1, 8)
    case .i32: return (1, 4)
    case .i16: return (1, 2)
    case .i8: return (1, 1)
    case .q4_0: return (32, 18)  // f16 scale + 32 nibbles
    case .q4_1: return (32, 20)  // f16 scale, f16 minimum + 32 nibbles
    case .q5_0: return (32, 22)
    case .q5_1: return (32, 24)
    case .q8_0: return (32, 34)  // f16 scale + 32 int8
    case .q8_1: return (32, 36)
    case .q2_k: return (256, 84)
    case .q3_k: return (256, 110)
    case .q4_k: return (256, 144)
    case .q5_k: return (256, 176)
    case .q6_k: return (256, 210)
    case .q8_k: return (256, 292)
    case .iq2_xxs: return (256, 66)
    case .iq2_xs: return (256, 74)
    case .iq3_xxs: return (256, 98)
    case .iq1_s: return (256, 50)
    case .iq4_nl: return (32, 18)
    case .iq3_s: return (256, 110)
    case .iq2_s: return (256, 82)
    case .iq4_xs: return (256, 136)
    case .iq1_m: return (256, 56)
    case .tq1_0: return (256, 54)
    case .tq2_0: return (256, 66)
    case .mxfp4: return (32, 17)
    }
  }

  /// The name ggml and llama.cpp print (`Q4_1`, `F32`, …).
  public var name: String { String(describing: self).uppercased() }
}
