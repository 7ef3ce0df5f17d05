import Foundation

/// Hidden folders that killed runs left under an output folder: resume folders no live process holds
/// (`.resume-*`, see `ResumeStore`) and bundle temporaries whose writer is gone (`.tmp-<id>-<pid>-…`).
/// Runs report them; `adlab clean` removes them.
public enum StaleFolders {
  /// One stale folder and its size on disk.
  public struct Entry: Sendable, Equatable {
    public var path: String
    public var bytes: Int
    /// True for a resume folder (re-running its spec would resume from it), false for a bundle temporary.
    public var resumable: Bool
  }

  /// Stale folders under `root`: in `root/<name>/` and, for sweeps, in `root/<name>/sweep-*/cells/`. Folders held
  /// by a running process are left out.
  public static func find(under root: String) -> [Entry] {
    let fm = FileManager.default
    var places: [String] = []
    for name in (try? fm.contentsOfDirectory(atPath: root)) ?? [] where !name.hasPrefix(".") {
      let experiment = "\(root)/\(name)"
      places.append(experiment)
      for sweep in (try? fm.contentsOfDirectory(atPath: experiment)) ?? [] where sweep.hasPrefix("sweep-") {
        places.append("\(experiment)/\(sweep)/cells")
      }
    }
    var found: [Entry] = []
    for place in places {
      for name in ((try? fm.contentsOfDirectory(atPath: place)) ?? []).sorted() {
        let path = "\(place)/\(name)"
        if name.hasPrefix(ResumeStore.prefix), isUnheld(path) {
          found.append(Entry(path: path, bytes: size(of: path), resumable: true))
        } else if name.hasPrefix(".tmp-"), writerIsGone(name) {
          found.append(Entry(path: path, bytes: size(of: path), resumable: false))
        }
      }
    }
    return found
  }

  /// Removes a stale folder. A resume folder is removed while holding its lock, so a run that starts at the same
  /// moment cannot be using it.
  public static func remove(_ entry: Entry) throws {
    guard entry.resumable else {
      try FileManager.default.removeItem(atPath: entry.path)
      return
    }
    guard let descriptor = ResumeStore.lock(entry.path) else { return }  // taken meanwhile: no longer stale
    defer { close(descriptor) }
    try FileManager.default.removeItem(atPath: entry.path)
  }

  /// One line for a run's stderr when there are stale folders, nil otherwise.
  public static func note(under root: String) -> String? {
    let stale = find(under: root)
    guard !stale.isEmpty else { return nil }
    let total = stale.reduce(0) { $0 + $1.bytes }
    return "note: \(stale.count) stale folder\(stale.count == 1 ? "" : "s") of killed runs under \(root) "
      + "(\(ByteCount.describe(total))); re-running a spec resumes it, `adlab clean \(root)` removes them"
  }

  /// Whether nobody holds the resume folder's lock (its run is gone).
  static func isUnheld(_ folder: String) -> Bool {
    guard let descriptor = ResumeStore.lock(folder) else { return false }
    close(descriptor)
    return true
  }

  /// Whether the process that named a `.tmp-<id>-<pid>-<time>` folder has exited.
  static func writerIsGone(_ name: String) -> Bool {
    let parts = name.split(separator: "-")
    guard parts.count >= 4, let pid = Int32(parts[2]) else { return false }
    return kill(pid, 0) != 0 && errno == ESRCH
  }

  static func size(of folder: String) -> Int {
    let fm = FileManager.default
    var total = 0
    let enumerator = fm.enumerator(atPath: folder)
    while let relative = enumerator?.nextObject() as? String {
      total += ((try? fm.attributesOfItem(atPath: "\(folder)/\(relative)"))?[.size] as? Int) ?? 0
    }
    return total
  }
}
