import AdLabTensor
import Foundation

/// The hidden folder beside a bundle's target where a run keeps what it has finished, so a run killed or
/// interrupted part-way resumes instead of starting over: `<parent>/.resume-<bundle folder name>/`, i.e. keyed by
/// the resolved-spec id (`.resume-<id>`, `.resume-train-<id>`, a sweep's `cells/.resume-<cell id>`).
///
/// It holds `identity` (the full sha256 of resolved.json, the kind, AdLab version, source revision and kernel class:
/// records made by another build are not reused, since its numbers may differ), one `job-<index>.rec` per finished
/// job (`JobRecord`, with its sha256) or `epoch-<variant>.ckpt` per training variant, and `lock`, on which the
/// owning process holds an exclusive `flock`: a folder nobody holds is stale (its run was killed) and `adlab clean`
/// may remove it. Records are written to a temporary name and renamed, so a kill never leaves half a record.
/// The folder is removed once the bundle is in place.
public final class ResumeStore: Sendable {
  public let folder: String
  private let lockDescriptor: Int32

  /// The prefix of every resume folder's name.
  public static let prefix = ".resume-"

  /// The resume folder of the bundle that will be saved at `target`.
  public static func folder(forBundle target: String) -> String {
    let url = URL(fileURLWithPath: target)
    return url.deletingLastPathComponent().appendingPathComponent(prefix + url.lastPathComponent).path
  }

  /// Opens (creating if needed) and locks the resume folder of `target`. Records made for another identity are
  /// deleted first.
  ///
  /// - Throws: `ResumeError.busy` when another live process holds it, `.cannotWrite` when it cannot be created.
  public init(bundle target: String, spec: ExperimentSpec, kind: BundleKind) throws(ResumeError) {
    folder = Self.folder(forBundle: target)
    let fm = FileManager.default
    do {
      try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw .cannotWrite(path: folder, reason: error.localizedDescription)
    }
    guard let descriptor = Self.lock(folder) else {
      if errno == EWOULDBLOCK { throw .busy(folder: folder) }
      throw .cannotWrite(path: "\(folder)/lock", reason: String(cString: strerror(errno)))
    }
    lockDescriptor = descriptor
    let identity = Self.identity(spec: spec, kind: kind)
    let path = "\(folder)/identity"
    if (try? String(contentsOfFile: path, encoding: .utf8)) != identity {
      for name in (try? fm.contentsOfDirectory(atPath: folder)) ?? [] where name != "lock" {
        try? fm.removeItem(atPath: "\(folder)/\(name)")
      }
      try store(Data(identity.utf8), as: "identity")
    }
  }

  deinit { close(lockDescriptor) }

  /// Takes the exclusive lock of `folder`'s lock file without waiting; the open descriptor holds it, nil when it
  /// is held elsewhere (errno EWOULDBLOCK) or cannot be opened.
  static func lock(_ folder: String) -> Int32? {
    let descriptor = open("\(folder)/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return nil }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      let saved = errno
      close(descriptor)
      errno = saved
      return nil
    }
    return descriptor
  }

  static func identity(spec: ExperimentSpec, kind: BundleKind) -> String {
    """
    resolved-sha256 \(BundleContents.sha256(Data(spec.resolvedJSON.rendered().utf8)))
    kind \(kind.rawValue)
    adlab \(Provenance.adlabVersion) \(Provenance.sourceRevision())
    kernels \(KernelClass.current.rawValue)

    """
  }

  /// Writes `data` as `name` in the folder, through a temporary file and a rename.
  func store(_ data: Data, as name: String) throws(ResumeError) {
    let path = "\(folder)/\(name)"
    do {
      try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw .cannotWrite(path: path, reason: error.localizedDescription)
    }
  }

  /// The bytes stored as `name`, nil when there are none.
  func load(_ name: String) -> Data? { FileManager.default.contents(atPath: "\(folder)/\(name)") }

  /// Keeps a finished job's result.
  func storeJob(_ result: JobResult, index: Int) throws(ResumeError) {
    try store(JobRecord.encode(result, index: index), as: "job-\(index).rec")
    CrashPoint.job.reached()
  }

  /// The kept results among jobs `0..<count`, and a line per record that was there but failed its checks (that
  /// job runs again).
  func loadJobs(count: Int) -> (results: [Int: JobResult], damaged: [String]) {
    var results: [Int: JobResult] = [:], damaged: [String] = []
    for index in 0..<count {
      guard let data = load("job-\(index).rec") else { continue }
      do {
        results[index] = try JobRecord.decode(data, index: index)
      } catch {
        damaged.append("job-\(index).rec: \(error)")
      }
    }
    return (results, damaged)
  }

  /// Deletes the folder: its bundle is in place, nothing is left to resume.
  public func finish() { try? FileManager.default.removeItem(atPath: folder) }
}
