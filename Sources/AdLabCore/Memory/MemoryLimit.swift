import Foundation

/// How much memory a run may plan to use: `--max-memory`, else 80% of the machine's physical memory (the rest is
/// left to the system and to what estimates miss). Set for a command's duration with `MemoryLimit.$current`.
public struct MemoryLimit: Sendable, Equatable, CustomStringConvertible {
  public var bytes: Int
  /// Where the figure comes from, for messages.
  public var source: String

  public init(bytes: Int, source: String) {
    self.bytes = bytes
    self.source = source
  }

  /// The limit in force (task-local: a command sets it around its work).
  @TaskLocal public static var current = MemoryLimit.physicalDefault

  /// 80% of physical memory (or no limit when it cannot be read).
  public static let physicalDefault: MemoryLimit = {
    let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
    guard pages > 0, pageSize > 0 else { return MemoryLimit(bytes: Int.max, source: "physical memory unknown") }
    let physical = MemoryNeed.product(pages, pageSize)
    return MemoryLimit(bytes: physical / 5 * 4, source: "80% of the \(ByteCount.describe(physical)) of physical memory")
  }()

  public var description: String { "\(ByteCount.describe(bytes)) (\(source); set with --max-memory)" }

  /// Parses `--max-memory`: bytes, or a number with K, M, G or T (powers of 1024; "GiB", "GB", "g" also read).
  public init(parsing text: String) throws(MemoryLimitError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let digits = trimmed.prefix { $0.isNumber || $0 == "." }
    var unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).uppercased()
    for suffix in ["IB", "B"] where unit.hasSuffix(suffix) && unit.count > suffix.count - 1 {
      unit = String(unit.dropLast(suffix.count))
      break
    }
    let scale: Double
    switch unit {
    case "": scale = 1
    case "K": scale = 1024
    case "M": scale = 1024 * 1024
    case "G": scale = 1024 * 1024 * 1024
    case "T": scale = 1024 * 1024 * 1024 * 1024
    default: throw .unreadable(text)
    }
    guard let value = Double(digits), value > 0, value * scale < 9.0e18 else { throw .unreadable(text) }
    self.init(bytes: Int(value * scale), source: "--max-memory \(text)")
  }
}

/// A `--max-memory` value that is not a size.
public enum MemoryLimitError: Error, CustomStringConvertible {
  case unreadable(String)

  public var description: String {
    switch self {
    case .unreadable(let text):
      return "--max-memory '\(text)' is not a size; use e.g. 512M, 8G or 1.5T (powers of 1024)"
    }
  }
}
