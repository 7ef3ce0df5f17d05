/// Typed metadata look-ups that name the key when it is absent or of another type, so a model's loader reads
/// `try file.uint32("llama.block_count")` and the user sees which key was wrong.
extension GGUFFile {
  /// The value under `key`, or ``GGUFError/missingKey(_:)``.
  public func value(_ key: String) throws(GGUFError) -> GGUFValue {
    guard let value = metadata[key] else { throw .missingKey(key) }
    return value
  }

  /// An unsigned 32-bit value (the type llama.cpp writes hyperparameters in).
  public func uint32(_ key: String) throws(GGUFError) -> UInt32 {
    let found = try value(key)
    guard case .uint32(let v) = found else {
      throw .wrongValueType(key: key, expected: "uint32", found: found.typeName)
    }
    return v
  }

  /// Any integer type whose value fits an `Int` (converters disagree on uint32 versus int32 for some keys).
  public func integer(_ key: String) throws(GGUFError) -> Int {
    let found = try value(key)
    guard let v = found.integer else { throw .wrongValueType(key: key, expected: "an integer", found: found.typeName) }
    return v
  }

  public func float32(_ key: String) throws(GGUFError) -> Float {
    let found = try value(key)
    guard case .float32(let v) = found else {
      throw .wrongValueType(key: key, expected: "float32", found: found.typeName)
    }
    return v
  }

  public func bool(_ key: String) throws(GGUFError) -> Bool {
    let found = try value(key)
    guard case .bool(let v) = found else { throw .wrongValueType(key: key, expected: "bool", found: found.typeName) }
    return v
  }

  public func string(_ key: String) throws(GGUFError) -> String {
    let found = try value(key)
    guard case .string(let v) = found else {
      throw .wrongValueType(key: key, expected: "string", found: found.typeName)
    }
    return v
  }

  public func stringArray(_ key: String) throws(GGUFError) -> [String] {
    try array(key, expected: "array of string") { if case .string(let v) = $0 { v } else { nil } }
  }

  public func int32Array(_ key: String) throws(GGUFError) -> [Int32] {
    try array(key, expected: "array of int32") { if case .int32(let v) = $0 { v } else { nil } }
  }

  public func float32Array(_ key: String) throws(GGUFError) -> [Float] {
    try array(key, expected: "array of float32") { if case .float32(let v) = $0 { v } else { nil } }
  }

  /// The tensor called `name`, or ``GGUFError/missingTensor(_:)``.
  public func tensor(_ name: String) throws(GGUFError) -> GGUFTensorInfo {
    guard let info = tensors[name] else { throw .missingTensor(name) }
    return info
  }

  private func array<T>(_ key: String, expected: String, _ element: (GGUFValue) -> T?) throws(GGUFError) -> [T] {
    let found = try value(key)
    guard case .array(let items) = found else {
      throw .wrongValueType(key: key, expected: expected, found: found.typeName)
    }
    var result: [T] = []
    result.reserveCapacity(items.count)
    for item in items {
      guard let v = element(item) else { throw .wrongValueType(key: key, expected: expected, found: found.typeName) }
      result.append(v)
    }
    return result
  }
}
