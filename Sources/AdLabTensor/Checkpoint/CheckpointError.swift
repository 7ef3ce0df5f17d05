/// Why a checkpoint could not be read, written or queried.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
  /// The data is shorter than a header and checksum, or ends inside an entry.
  case truncated(offset: Int, needed: Int, available: Int)
  /// The first 8 bytes are not `ADLBCKPT`: not an AdLab checkpoint.
  case badMagic
  /// A format version this code does not read.
  case unsupportedVersion(UInt32)
  /// The stored CRC-32 differs from the data's: the file is corrupt.
  case checksumMismatch(stored: UInt32, computed: UInt32)
  /// Structurally invalid content (unknown dtype, duplicate name, bytes after the last entry, ...).
  case malformed(String)
  /// No tensor of that name.
  case missingTensor(name: String, available: [String])
  /// The tensor is stored with another element type than requested.
  case dtypeMismatch(name: String, stored: DType, requested: DType)
  /// The tensor's shape differs from the expected one.
  case shapeMismatch(name: String, stored: [Int], expected: [Int])
  /// The file could not be opened, read, written or renamed.
  case io(path: String, message: String)

  public var description: String {
    switch self {
    case .truncated(let offset, let needed, let available):
      return "checkpoint is truncated: needed \(needed) bytes at offset \(offset), only \(available) available"
    case .badMagic:
      return "not an AdLab checkpoint (the file does not start with 'ADLBCKPT')"
    case .unsupportedVersion(let version):
      return "unsupported checkpoint version \(version) (this build reads version \(Checkpoint.formatVersion))"
    case .checksumMismatch(let stored, let computed):
      return "checkpoint is corrupt: stored CRC-32 \(hex(stored)) but the data hashes to \(hex(computed))"
    case .malformed(let reason):
      return "checkpoint is malformed: \(reason)"
    case .missingTensor(let name, let available):
      return "checkpoint has no tensor '\(name)' (has: \(available.joined(separator: ", ")))"
    case .dtypeMismatch(let name, let stored, let requested):
      return "checkpoint tensor '\(name)' is \(stored), not \(requested)"
    case .shapeMismatch(let name, let stored, let expected):
      return "checkpoint tensor '\(name)' has shape \(stored), expected \(expected)"
    case .io(let path, let message):
      return "\(path): \(message)"
    }
  }

  private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
  }
}
