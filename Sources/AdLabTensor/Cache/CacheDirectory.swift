import Foundation

/// AdLab's one cache root, outside the repository, shared by pre-trained models, fetched datasets and the
/// columnar log cache: `$ADLAB_CACHE`, else `$XDG_CACHE_HOME/adlab`, else `~/.cache/adlab`.
public enum CacheDirectory {
  /// The cache root for `environment` (the process's environment unless a test passes its own).
  public static func root(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    if let path = environment["ADLAB_CACHE"], !path.isEmpty { return URL(fileURLWithPath: path) }
    if let path = environment["XDG_CACHE_HOME"], !path.isEmpty {
      return URL(fileURLWithPath: path).appendingPathComponent("adlab")
    }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return URL(fileURLWithPath: home).appendingPathComponent(".cache/adlab")
  }
}
