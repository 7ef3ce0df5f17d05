import Foundation

/// Where the MiniLM model files are cached, resolved as the CLI does: `$ADLAB_CACHE`, else `$XDG_CACHE_HOME/adlab`,
/// else `~/.cache/adlab`; the files sit flat in `<root>/models/all-MiniLM-L6-v2/`.
enum TokenizerModelFiles {
  static let skipMessage = "all-MiniLM-L6-v2 is not cached (vocab.txt missing): run 'adlab models fetch minilm'"

  static var directory: URL {
    let environment = ProcessInfo.processInfo.environment
    let root: URL
    if let cache = environment["ADLAB_CACHE"], !cache.isEmpty {
      root = URL(fileURLWithPath: cache)
    } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
      root = URL(fileURLWithPath: xdg).appendingPathComponent("adlab")
    } else {
      root = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/adlab")
    }
    return root.appendingPathComponent("models/all-MiniLM-L6-v2")
  }

  /// The cached `vocab.txt`, or nil when the model has not been fetched.
  static var vocabulary: URL? {
    let file = directory.appendingPathComponent("vocab.txt")
    return FileManager.default.fileExists(atPath: file.path) ? file : nil
  }
}
