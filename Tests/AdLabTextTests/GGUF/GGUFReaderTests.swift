import Foundation
import Testing

@testable import AdLabText

/// The GGUF reader on hand-built files: one good file read back exactly, and one file per error.
@Suite struct GGUFReaderTests {
  /// Two tensors: a 2×3 F32 at offset 0 and a 32-element Q8_0 block at offset 32.
  static func good() -> GGUFBuilder {
    var builder = GGUFBuilder()
    builder.add("general.architecture", string: "llama")
    builder.add("llama.block_count", uint32: 30)
    builder.add("llama.attention.layer_norm_rms_epsilon", float32: 1e-5)
    builder.add("tokenizer.ggml.tokens", strings: ["a", "é", "🙂"])
    builder.add("tokenizer.ggml.token_type", int32s: [1, 3, -2])
    builder.tensors = [("w", [3, 2], 0, 0), ("q", [32], 8, 32)]
    builder.data = (0..<24).map { UInt8($0) } + [UInt8](repeating: 0, count: 8) + (0..<34).map { UInt8(100 + $0) }
    return builder
  }

  @Test func readsMetadataTensorsAndData() throws {
    let file = try Self.good().open()
    #expect(file.version == 3)
    #expect(file.alignment == 32)
    #expect(try file.string("general.architecture") == "llama")
    #expect(try file.uint32("llama.block_count") == 30)
    #expect(try file.integer("llama.block_count") == 30)
    #expect(try file.float32("llama.attention.layer_norm_rms_epsilon") == 1e-5)
    #expect(try file.stringArray("tokenizer.ggml.tokens") == ["a", "é", "🙂"])
    #expect(try file.int32Array("tokenizer.ggml.token_type") == [1, 3, -2])
    let w = try file.tensor("w")
    #expect(w == GGUFTensorInfo(name: "w", dimensions: [3, 2], type: .f32, offset: 0, byteCount: 24))
    #expect(Array(file.bytes(of: w)) == (0..<24).map { UInt8($0) })
    let q = try file.tensor("q")
    #expect(q.type == .q8_0 && q.byteCount == 34)
    #expect(Array(file.bytes(of: q)) == (0..<34).map { UInt8(100 + $0) })
    #expect(file.tensorOrder == ["w", "q"])
  }

  @Test func typedAccessorsNameTheKey() throws {
    let file = try Self.good().open()
    #expect(throws: GGUFError.missingKey("llama.context_length")) { try file.uint32("llama.context_length") }
    #expect(throws: GGUFError.wrongValueType(key: "general.architecture", expected: "uint32", found: "string")) {
      try file.uint32("general.architecture")
    }
    #expect(
      throws: GGUFError.wrongValueType(
        key: "tokenizer.ggml.tokens", expected: "array of int32", found: "array of string")
    ) {
      try file.int32Array("tokenizer.ggml.tokens")
    }
    #expect(throws: GGUFError.missingTensor("output.weight")) { try file.tensor("output.weight") }
  }

  @Test func readsNestedArraysAndEveryScalarType() throws {
    var builder = GGUFBuilder()
    let inner = GGUFBuilder.u32(4) + GGUFBuilder.u64(2) + GGUFBuilder.u32(7) + GGUFBuilder.u32(8)
    builder.metadata.append(("nested", GGUFBuilder.u32(9) + GGUFBuilder.u32(9) + GGUFBuilder.u64(1) + inner))
    builder.metadata.append(("u8", GGUFBuilder.u32(0) + [200]))
    builder.metadata.append(("i8", GGUFBuilder.u32(1) + [0xFF]))
    builder.metadata.append(("u16", GGUFBuilder.u32(2) + [1, 2]))
    builder.metadata.append(("i16", GGUFBuilder.u32(3) + [0xFE, 0xFF]))
    builder.metadata.append(("yes", GGUFBuilder.u32(7) + [1]))
    builder.metadata.append(("u64", GGUFBuilder.u32(10) + GGUFBuilder.u64(1 << 40)))
    builder.metadata.append(("i64", GGUFBuilder.u32(11) + GGUFBuilder.u64(UInt64(bitPattern: -5))))
    builder.metadata.append(("f64", GGUFBuilder.u32(12) + GGUFBuilder.u64((0.25).bitPattern)))
    let file = try builder.open()
    #expect(file.metadata["nested"] == .array([.array([.uint32(7), .uint32(8)])]))
    #expect(file.metadata["u8"] == .uint8(200))
    #expect(file.metadata["i8"] == .int8(-1))
    #expect(file.metadata["u16"] == .uint16(0x0201))
    #expect(file.metadata["i16"] == .int16(-2))
    #expect(try file.bool("yes"))
    #expect(file.metadata["u64"] == .uint64(1 << 40))
    #expect(file.metadata["i64"] == .int64(-5))
    #expect(file.metadata["f64"] == .float64(0.25))
  }

  @Test func honoursGeneralAlignment() throws {
    var builder = Self.good()
    builder.add("general.alignment", uint32: 64)
    builder.alignment = 64
    builder.tensors = [("w", [3, 2], 0, 0), ("q", [32], 8, 64)]
    builder.data = (0..<24).map { UInt8($0) } + [UInt8](repeating: 0, count: 40) + (0..<34).map { UInt8(100 + $0) }
    let file = try builder.open()
    #expect(file.alignment == 64)
    #expect(file.dataOffset % 64 == 0)
    #expect(Array(file.bytes(of: try file.tensor("q"))) == (0..<34).map { UInt8(100 + $0) })
  }

  @Test func badMagic() {
    var builder = Self.good()
    builder.magic = Array("GGML".utf8)
    #expect { try builder.open() } throws: { error in
      guard case .badMagic(_, let found) = error as? GGUFError else { return false }
      return found == Array("GGML".utf8)
    }
  }

  @Test func unsupportedVersion() {
    var builder = Self.good()
    builder.version = 1
    #expect { try builder.open() } throws: { ($0 as? GGUFError)?.caseName == "unsupportedVersion" }
    builder.version = 4
    #expect { try builder.open() } throws: { ($0 as? GGUFError)?.caseName == "unsupportedVersion" }
  }

  /// Every cut through the header and through the last tensor's data is reported as truncated, never a crash.
  @Test func truncatedAnywhere() {
    let bytes = Self.good().bytes()
    for length in stride(from: 0, to: bytes.count, by: 1) {
      #expect {
        try Self.good().open(Array(bytes.prefix(length)))
      } throws: { error in
        let name = (error as? GGUFError)?.caseName
        return name == "truncated" || name == "tensorOutOfRange"
      }
    }
  }

  @Test func unknownValueType() {
    var builder = Self.good()
    builder.metadata.append(("odd", GGUFBuilder.u32(13) + [0]))
    #expect { try builder.open() } throws: { ($0 as? GGUFError)?.caseName == "unknownValueType" }
    var arrays = Self.good()
    arrays.metadata.append(("odd", GGUFBuilder.u32(9) + GGUFBuilder.u32(42) + GGUFBuilder.u64(0)))
    #expect { try arrays.open() } throws: { ($0 as? GGUFError)?.caseName == "unknownValueType" }
  }

  @Test func unknownTensorType() {
    var builder = Self.good()
    builder.tensors[1].type = 4  // Q4_2, removed from ggml long ago
    #expect { try builder.open() } throws: { ($0 as? GGUFError)?.caseName == "unknownTensorType" }
  }

  @Test func outOfRangeAndUnalignedOffsets() {
    var past = Self.good()
    past.tensors[1].offset = 64
    #expect { try past.open() } throws: { ($0 as? GGUFError)?.caseName == "tensorOutOfRange" }
    var unaligned = Self.good()
    unaligned.tensors[1].offset = 16
    #expect { try unaligned.open() } throws: { ($0 as? GGUFError)?.caseName == "tensorOutOfRange" }
    var huge = Self.good()
    huge.tensors[0].offset = UInt64.max
    #expect { try huge.open() } throws: { ($0 as? GGUFError)?.caseName == "tensorOutOfRange" }
  }

  @Test func implausibleCountsAndShapes() {
    var count = Self.good()
    count.tensorCountOverride = UInt64.max
    #expect { try count.open() } throws: { ($0 as? GGUFError)?.caseName == "implausibleSize" }
    count.tensorCountOverride = 1 << 40  // fits an Int, but the file ends long before that many tensor infos
    #expect { try count.open() } throws: { ($0 as? GGUFError)?.caseName == "truncated" }
    var overflow = Self.good()
    overflow.tensors[0].dimensions = [1 << 62, 1 << 62]
    #expect { try overflow.open() } throws: { ($0 as? GGUFError)?.caseName == "implausibleSize" }
    var partial = Self.good()
    partial.tensors[1].dimensions = [33]
    #expect { try partial.open() } throws: { ($0 as? GGUFError)?.caseName == "partialBlock" }
    var badAlignment = Self.good()
    badAlignment.add("general.alignment", uint32: 48)
    #expect { try badAlignment.open() } throws: { ($0 as? GGUFError)?.caseName == "invalidAlignment" }
    var duplicate = Self.good()
    duplicate.add("llama.block_count", uint32: 31)
    #expect { try duplicate.open() } throws: { ($0 as? GGUFError)?.caseName == "duplicateName" }
  }

  @Test func invalidUTF8AndMissingFile() {
    var builder = Self.good()
    builder.metadata.append(("bad", GGUFBuilder.u32(8) + GGUFBuilder.u64(2) + [0xC3, 0x28]))
    #expect { try builder.open() } throws: { ($0 as? GGUFError)?.caseName == "invalidString" }
    #expect { try GGUFFile(contentsOf: URL(fileURLWithPath: "/nonexistent/model.gguf")) } throws: {
      ($0 as? GGUFError)?.caseName == "unreadable"
    }
  }
}

extension GGUFError {
  /// The case's name, so a test can check the kind of error without rebuilding its exact payload.
  var caseName: String { Mirror(reflecting: self).children.first?.label ?? "\(self)" }
}
