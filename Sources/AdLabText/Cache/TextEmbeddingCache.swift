import AdLabTensor
import Crypto
import Foundation

/// Text embeddings on disk, so each distinct text is embedded once per model: one compact binary file per (model,
/// kernel class) under `<cache root>/embeddings/`, holding fixed-size records `text sha256 (32 bytes) · embedding
/// (dimension × float32, little-endian)` after a header.
///
/// A record is keyed by (model sha256, text sha256): the model's hash names the file and is repeated in its header,
/// the text's hash starts the record. The kernel class is part of the file name too, because embeddings computed
/// by another class differ in the last bits and a bundle must be bit-identical to a fresh run of its own class.
///
/// Appends are whole records written with `O_APPEND`, so concurrent writers (jobs, or two `adlab` processes) do not
/// interleave; a record cut short by a crash is ignored on load (and cut off before the next append), and a record whose text is already stored is
/// skipped (both copies hold the same bits).
public final class TextEmbeddingCache: @unchecked Sendable {
  /// The key of one record.
  public struct Key: Hashable, Sendable {
    public let modelSHA256: String
    public let textSHA256: [UInt8]
    public init(modelSHA256: String, text: String) {
      self.modelSHA256 = modelSHA256
      textSHA256 = Array(SHA256.hash(data: Data(text.utf8)))
    }
  }

  public let file: URL
  public let modelSHA256: String
  public let dimension: Int
  private let lock = NSLock()
  private var stored: [[UInt8]: [Float]] = [:]

  static let magic = Array("ADLEMB1\n".utf8)
  var headerSize: Int { Self.magic.count + 64 + 4 }
  var recordSize: Int { 32 + 4 * dimension }

  /// Opens (or creates) the cache file of `modelSHA256` under `root` and loads its records.
  /// - Throws: `TextEmbeddingCacheError` when the file belongs to another model or dimension, or cannot be read.
  public init(root: URL, modelName: String, modelSHA256: String, dimension: Int, kernels: KernelClass = .current) throws
  {
    precondition(dimension > 0, "an embedding has at least one component")
    self.modelSHA256 = modelSHA256
    self.dimension = dimension
    let folder = root.appendingPathComponent("embeddings")
    file = folder.appendingPathComponent("\(modelName)-\(modelSHA256.prefix(16))-\(kernels.rawValue).f32")
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw TextEmbeddingCacheError.unwritable(path: folder.path, reason: "\(error)")
    }
    try load()
  }

  /// The stored embedding of `text`, if any.
  public func embedding(of text: String) -> [Float]? {
    let key = Key(modelSHA256: modelSHA256, text: text)
    return lock.withLock { stored[key.textSHA256] }
  }

  /// Stores embeddings (`texts.count × dimension`, row-major) and appends the new ones to the file.
  public func store(_ texts: [String], embeddings: [Float]) throws {
    precondition(embeddings.count == texts.count * dimension, "one embedding of \(dimension) floats per text")
    try lock.withLock {
      var bytes: [UInt8] = []
      for (index, text) in texts.enumerated() {
        let key = Key(modelSHA256: modelSHA256, text: text).textSHA256
        guard stored[key] == nil else { continue }
        let vector = Array(embeddings[(index * dimension)..<((index + 1) * dimension)])
        stored[key] = vector
        bytes += key
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
      }
      guard !bytes.isEmpty else { return }
      try append(bytes)
    }
  }

  public var count: Int { lock.withLock { stored.count } }

  private func header() -> [UInt8] {
    var bytes = Self.magic + Array(modelSHA256.utf8.prefix(64))
    bytes += [UInt8](repeating: 0x20, count: 64 - min(64, modelSHA256.utf8.count))
    withUnsafeBytes(of: UInt32(dimension).littleEndian) { bytes += $0 }
    return bytes
  }

  private func load() throws {
    guard let data = FileManager.default.contents(atPath: file.path) else { return }
    let bytes = [UInt8](data)
    guard bytes.count >= headerSize else { return }  // a header cut short: rewritten on the first store
    guard Array(bytes[0..<headerSize]) == header() else {
      throw TextEmbeddingCacheError.mismatched(path: file.path)
    }
    var offset = headerSize
    while offset + recordSize <= bytes.count {
      let key = Array(bytes[offset..<(offset + 32)])
      var vector = [Float](repeating: 0, count: dimension)
      for j in 0..<dimension {
        let at = offset + 32 + 4 * j
        let bits =
          UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        vector[j] = Float(bitPattern: bits)
      }
      stored[key] = vector
      offset += recordSize
    }
  }

  private func append(_ records: [UInt8]) throws {
    let fd = open(file.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    guard fd >= 0 else {
      throw TextEmbeddingCacheError.unwritable(path: file.path, reason: String(cString: strerror(errno)))
    }
    defer { close(fd) }
    let size = Int(lseek(fd, 0, SEEK_END))
    // A new (or cut-short) file gets its header first; a record cut short by a crash is dropped so that later
    // records stay aligned.
    var bytes: [UInt8] = []
    if size < headerSize {
      if size > 0 { _ = ftruncate(fd, 0) }
      bytes = header()
    } else if (size - headerSize) % recordSize != 0 {
      _ = ftruncate(fd, off_t(size - (size - headerSize) % recordSize))
    }
    bytes += records
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count else {
      throw TextEmbeddingCacheError.unwritable(
        path: file.path, reason: written < 0 ? String(cString: strerror(errno)) : "short write")
    }
  }
}

/// Why the text embedding cache could not be used.
public enum TextEmbeddingCacheError: Error, Equatable, CustomStringConvertible {
  case unwritable(path: String, reason: String)
  case mismatched(path: String)

  public var description: String {
    switch self {
    case .unwritable(let path, let reason): return "cannot write the text embedding cache \(path): \(reason)"
    case .mismatched(let path):
      return "\(path) holds embeddings of another model or width; delete it and the embeddings are recomputed"
    }
  }
}
