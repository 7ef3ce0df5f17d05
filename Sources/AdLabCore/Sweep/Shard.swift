/// One deterministic slice of a sweep's cells: cell `k` belongs to shard `k mod count`.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
  /// 0-based.
  public var index: Int
  public var count: Int

  /// The whole sweep.
  public static let all = Shard(index: 0, count: 1)

  public init(index: Int, count: Int) {
    precondition(count >= 1 && index >= 0 && index < count, "shard \(index)/\(count) out of range")
    self.index = index
    self.count = count
  }

  public var description: String { "\(index)/\(count)" }

  /// Whether the cell at `cellIndex` belongs to this shard.
  public func contains(_ cellIndex: Int) -> Bool { cellIndex % count == index }

  /// The shard to run: `--shard i/n` when given; else a Slurm array task (`SLURM_ARRAY_TASK_ID` minus
  /// `SLURM_ARRAY_TASK_MIN`, of `SLURM_ARRAY_TASK_COUNT`); else a Kubernetes Indexed Job pod
  /// (`JOB_COMPLETION_INDEX`, of `count`, the `--shard-count` option); else the whole sweep.
  ///
  /// - Throws: `ShardError` naming the bad argument or variable.
  public static func resolve(argument: String?, count: Int?, environment: [String: String]) throws(ShardError) -> Shard
  {
    if let argument {
      let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
      guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { throw .malformed(argument) }
      guard n >= 1, i >= 0, i < n else { throw .outOfRange(source: "--shard \(argument)", index: i, count: n) }
      return Shard(index: i, count: n)
    }
    if let id = environment["SLURM_ARRAY_TASK_ID"] {
      guard let task = Int(id) else { throw .badVariable(name: "SLURM_ARRAY_TASK_ID", value: id) }
      let minimum = environment["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0
      guard let n = count ?? environment["SLURM_ARRAY_TASK_COUNT"].flatMap({ Int($0) }) else {
        throw .missingCount(source: "SLURM_ARRAY_TASK_ID")
      }
      guard n >= 1, task - minimum >= 0, task - minimum < n else {
        throw .outOfRange(source: "SLURM_ARRAY_TASK_ID=\(id) (min \(minimum))", index: task - minimum, count: n)
      }
      return Shard(index: task - minimum, count: n)
    }
    if let id = environment["JOB_COMPLETION_INDEX"] {
      guard let i = Int(id) else { throw .badVariable(name: "JOB_COMPLETION_INDEX", value: id) }
      guard let n = count else { throw .missingCount(source: "JOB_COMPLETION_INDEX") }
      guard n >= 1, i >= 0, i < n else { throw .outOfRange(source: "JOB_COMPLETION_INDEX=\(id)", index: i, count: n) }
      return Shard(index: i, count: n)
    }
    if let count, count != 1 { throw .missingIndex(count: count) }
    return .all
  }
}

/// Why the shard to run could not be worked out.
public enum ShardError: Error, Equatable, CustomStringConvertible {
  case malformed(String)
  case outOfRange(source: String, index: Int, count: Int)
  case badVariable(name: String, value: String)
  case missingCount(source: String)
  case missingIndex(count: Int)

  public var description: String {
    switch self {
    case .malformed(let text):
      return "--shard '\(text)' is not of the form INDEX/COUNT; e.g. --shard 0/4 (indices start at 0)"
    case .outOfRange(let source, let index, let count): return "\(source): shard index \(index) is outside 0..<\(count)"
    case .badVariable(let name, let value): return "\(name)='\(value)' is not an integer"
    case .missingCount(let source):
      return
        "\(source) is set but the number of shards is not; pass --shard-count N (the array size or the Job's completions)"
    case .missingIndex(let count):
      return
        "--shard-count \(count) needs a shard index: --shard I/\(count), SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX"
    }
  }
}
