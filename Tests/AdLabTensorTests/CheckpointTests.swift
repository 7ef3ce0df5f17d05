import Foundation
import Testing

@testable import AdLabTensor

/// Checkpoint round trips, byte layout and corruption detection.
struct CheckpointTests {
  func sample() -> Checkpoint {
    var checkpoint = Checkpoint()
    checkpoint.set("dense.weight", Tensor<Float>(shape: [2, 3], scalars: [1, -2, 3.5, .infinity, 0, -0.0]))
    checkpoint.set("embedding", Tensor<Double>(shape: [3, 1], scalars: [0.1, .pi, -1e300]))
    checkpoint.set("step", Tensor<Double>(scalar: 42))
    return checkpoint
  }

  @Test func crc32CheckValue() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum([]) == 0)
  }

  @Test func roundTripInMemoryAndOnDisk() throws {
    let checkpoint = sample()
    let bytes = checkpoint.encoded()
    #expect(bytes == sample().encoded())  // deterministic
    #expect(Array(bytes[0..<8]) == Array("ADLBCKPT".utf8))
    let decoded = try Checkpoint(decoding: bytes)
    #expect(decoded == checkpoint)
    #expect(decoded.names == ["dense.weight", "embedding", "step"])
    let w = try decoded.tensor("dense.weight", as: Float.self, shape: [2, 3])
    #expect(w.scalars.map(\.bitPattern) == [1, -2, 3.5, Float.infinity, 0, -0.0].map(\.bitPattern))
    #expect(try decoded.tensor("embedding", as: Double.self).scalars == [0.1, .pi, -1e300])

    let path = FileManager.default.temporaryDirectory.appendingPathComponent("adlab-ckpt-\(getpid()).bin").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try checkpoint.write(toFile: path)
    #expect(try Checkpoint(contentsOfFile: path) == checkpoint)
  }

  @Test func littleEndianLayout() {
    var checkpoint = Checkpoint()
    checkpoint.set("a", Tensor<Float>([1]))
    let bytes = checkpoint.encoded()
    // magic, version 1, count 1, name length 1, "a", dtype 1, rank 1, dim 1, 1.0f = 0x3F800000, CRC.
    let expectedPrefix: [UInt8] =
      Array("ADLBCKPT".utf8) + [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0x61, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
      + [0, 0, 0x80, 0x3F]
    #expect(Array(bytes.dropLast(4)) == expectedPrefix)
    let crc = CRC32.checksum(expectedPrefix)
    #expect(Array(bytes.suffix(4)) == [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: crc >> $0) })
  }

  @Test func corruptionIsDetected() {
    let bytes = sample().encoded()
    var flipped = bytes
    flipped[40] ^= 0x01
    #expect {
      try Checkpoint(decoding: flipped)
    } throws: { error in
      guard case .checksumMismatch = error as? CheckpointError else { return false }
      return "\(error)".hasPrefix("checkpoint is corrupt: stored CRC-32 0x")
    }
    #expect(throws: CheckpointError.badMagic) { try Checkpoint(decoding: Array("NOTACKPT".utf8) + bytes.dropFirst(8)) }
    #expect(throws: CheckpointError.truncated(offset: 0, needed: 20, available: 10)) {
      try Checkpoint(decoding: Array(bytes.prefix(10)))
    }
    // A truncated file whose checksum happens to be rewritten still fails structurally.
    var cut = Array(bytes.prefix(bytes.count - 12))
    let crc = CRC32.checksum(cut)
    cut += [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: crc >> $0) }
    #expect(throws: CheckpointError.self) { try Checkpoint(decoding: cut) }
    // Another version, with a valid checksum.
    var future = Array(bytes.dropLast(4))
    future[8] = 2
    let futureCRC = CRC32.checksum(future)
    future += [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: futureCRC >> $0) }
    #expect(throws: CheckpointError.unsupportedVersion(2)) { try Checkpoint(decoding: future) }
  }

  @Test func queryErrors() {
    let checkpoint = sample()
    #expect(throws: CheckpointError.missingTensor(name: "bias", available: ["dense.weight", "embedding", "step"])) {
      try checkpoint.tensor("bias", as: Float.self)
    }
    #expect(throws: CheckpointError.dtypeMismatch(name: "embedding", stored: .float64, requested: .float32)) {
      try checkpoint.tensor("embedding", as: Float.self)
    }
    #expect(throws: CheckpointError.shapeMismatch(name: "dense.weight", stored: [2, 3], expected: [3, 2])) {
      try checkpoint.tensor("dense.weight", as: Float.self, shape: [3, 2])
    }
    #expect(throws: CheckpointError.self) { try Checkpoint(contentsOfFile: "/nonexistent/dir/x.ckpt") }
  }
}
