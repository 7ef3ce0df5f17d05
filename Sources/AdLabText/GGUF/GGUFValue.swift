/// A GGUF metadata value: one of the spec's thirteen types, arrays holding values of one type (arrays of arrays
/// are allowed by the format and read as nested `.array`s).
public enum GGUFValue: Sendable, Equatable {
  case uint8(UInt8)
  case int8(Int8)
  case uint16(UInt16)
  case int16(Int16)
  case uint32(UInt32)
  case int32(Int32)
  case float32(Float)
  case bool(Bool)
  case string(String)
  case array([GGUFValue])
  case uint64(UInt64)
  case int64(Int64)
  case float64(Double)

  /// The spec's name of this value's type, for error messages (`array` lists its first element's type).
  public var typeName: String {
    switch self {
    case .uint8: return "uint8"
    case .int8: return "int8"
    case .uint16: return "uint16"
    case .int16: return "int16"
    case .uint32: return "uint32"
    case .int32: return "int32"
    case .float32: return "float32"
    case .bool: return "bool"
    case .string: return "string"
    case .array(let items): return "array of \(items.first?.typeName ?? "nothing")"
    case .uint64: return "uint64"
    case .int64: return "int64"
    case .float64: return "float64"
    }
  }

  /// The value as an exact integer when it is one of the integer types (no rounding, no narrowing overflow).
  public var integer: Int? {
    switch self {
    case .uint8(let v): return Int(v)
    case .int8(let v): return Int(v)
    case .uint16(let v): return Int(v)
    case .int16(let v): return Int(v)
    case .uint32(let v): return Int(v)
    case .int32(let v): return Int(v)
    case .uint64(let v): return Int(exactly: v)
    case .int64(let v): return Int(v)
    default: return nil
    }
  }
}
