/// Problems with a run's resume folder, each saying what to do.
public enum ResumeError: Error, CustomStringConvertible, Equatable {
  /// A stored record failed its checks (the job is run again; this is reported, not fatal).
  case damagedRecord(reason: String)
  /// Another live `adlab` process holds the folder: the same spec is running into the same output folder.
  case busy(folder: String)
  case cannotWrite(path: String, reason: String)

  public var description: String {
    switch self {
    case .damagedRecord(let reason): return "damaged resume record: \(reason)"
    case .busy(let folder):
      return
        "another adlab process is running this spec into the same folder (it holds \(folder)); wait for it, or use another --out"
    case .cannotWrite(let path, let reason): return "cannot write the resume record \(path): \(reason)"
    }
  }
}

/// A run stopped by Ctrl-C (SIGINT) or SIGTERM after keeping its finished jobs; says how to resume.
public struct RunInterrupted: Error, CustomStringConvertible {
  /// Jobs (or training epochs) finished and kept, and how many the run has.
  public var kept: Int
  public var total: Int
  /// Where they are kept; nil when the run keeps nothing (then a new run starts over).
  public var folder: String?
  /// What unit `kept` counts ("jobs", "epochs").
  public var unit: String

  public var description: String {
    guard let folder else { return "interrupted: \(kept) of \(total) \(unit) had finished; nothing was kept" }
    return
      "interrupted: \(kept) of \(total) \(unit) finished and kept in \(folder); run the same command again to resume"
  }
}
