import Foundation
import Testing

@testable import AdLabText

/// The safetensors reader on small hand-built files: a good one, and one file per error.
@Suite struct SafeTensorsTests {
  /// A safetensors file: the 8-byte little-endian header length, the header JSON, then `data`.
  static func file(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> Data {
    let json = Array(header.utf8)
    let length = declaredLength ?? UInt64(json.count)
    var bytes = (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) }
    bytes += json + data
    return Data(bytes)
  }

  static func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt32($0))) } }
  }

  static let goodHeader = """
    {"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},\
    "ids":{"dtype":"I64","shape":[2],"data_offsets":[16,32]}}
    """
  static let goodData = floatBytes([1, -2, 0.5, 3]) + [7, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255]

  @Test func readsTensorsAndMetadata() throws {
    let file = try SafeTensorsFile(bytes: Self.file(header: Self.goodHeader, data: Self.goodData), path: "good")
    #expect(file.metadata == ["format": "pt"])
    #expect(try file.floats("w", shape: [2, 2]) == [1, -2, 0.5, 3])
    #expect(try file.int64s("ids") == [7, -1])
    #expect(file.entries["w"]?.shape == [2, 2])
  }

  @Test func readsAMappedFile() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("adlab-st-\(getpid()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try Self.file(header: Self.goodHeader, data: Self.goodData).write(to: url)
    #expect(try SafeTensorsFile(url: url).floats("w") == [1, -2, 0.5, 3])
    #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(url: url.appendingPathExtension("absent")) }
  }

  @Test func rejectsATruncatedHeaderLength() {
    #expect(throws: SafeTensorsError.truncatedHeaderLength(path: "t", fileSize: 5)) {
      try SafeTensorsFile(bytes: Data([1, 0, 0, 0, 0]), path: "t")
    }
  }

  @Test func rejectsAHeaderLongerThanTheFile() {
    let data = Self.file(header: Self.goodHeader, data: [], declaredLength: 1 << 40)
    #expect(throws: SafeTensorsError.truncatedHeader(path: "t", declared: 1 << 40, available: data.count - 8)) {
      try SafeTensorsFile(bytes: data, path: "t")
    }
  }

  @Test func rejectsMalformedHeaders() {
    for header in [
      "{not json", "[1, 2]", #"{"w":{"dtype":"F32","shape":[2]}}"#,
      #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#,
      #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, #"{"__metadata__":{"a":1}}"#,
    ] {
      let error = #expect(throws: SafeTensorsError.self, "\(header)") {
        try SafeTensorsFile(bytes: Self.file(header: header, data: [0, 0, 0, 0]), path: "t")
      }
      guard case .malformedHeader = error else {
        Issue.record("\(header): expected malformedHeader, got \(String(describing: error))")
        continue
      }
    }
  }

  @Test func rejectsAnUnknownDType() {
    let header = #"{"w":{"dtype":"F8_E4M3X","shape":[1],"data_offsets":[0,1]}}"#
    #expect(throws: SafeTensorsError.unsupportedDType(tensor: "w", dtype: "F8_E4M3X")) {
      try SafeTensorsFile(bytes: Self.file(header: header, data: [0]), path: "t")
    }
  }

  @Test func rejectsOffsetsPastTheData() {
    // A file cut short: the tensor claims 16 bytes, 8 are present.
    let header = #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
    #expect(throws: SafeTensorsError.offsetsOutOfRange(tensor: "w", begin: 0, end: 16, dataSize: 8)) {
      try SafeTensorsFile(bytes: Self.file(header: header, data: Array(repeating: 0, count: 8)), path: "t")
    }
    let reversed = #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}"#
    #expect(throws: SafeTensorsError.offsetsOutOfRange(tensor: "w", begin: 8, end: 4, dataSize: 8)) {
      try SafeTensorsFile(bytes: Self.file(header: reversed, data: Array(repeating: 0, count: 8)), path: "t")
    }
  }

  @Test func rejectsAShapeThatDoesNotFitItsBytes() {
    let header = #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
    #expect(throws: SafeTensorsError.sizeMismatch(tensor: "w", shape: [3], dtype: "F32", bytes: 8)) {
      try SafeTensorsFile(bytes: Self.file(header: header, data: Array(repeating: 0, count: 8)), path: "t")
    }
  }

  @Test func checksWhatTheCallerNeeds() throws {
    let file = try SafeTensorsFile(bytes: Self.file(header: Self.goodHeader, data: Self.goodData), path: "good")
    #expect(throws: SafeTensorsError.missingTensor("absent")) { try file.floats("absent") }
    #expect(throws: SafeTensorsError.wrongDType(tensor: "ids", expected: "F32", found: "I64")) {
      try file.floats("ids")
    }
    #expect(throws: SafeTensorsError.wrongShape(tensor: "w", expected: [4], found: [2, 2])) {
      try file.floats("w", shape: [4])
    }
  }
}
