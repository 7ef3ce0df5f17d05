import Foundation

/// Where fetched datasets live: outside the repository, in `$ADLAB_CACHE`, else `$XDG_CACHE_HOME/adlab`, else
/// `~/.cache/adlab`, under `datasets/<name>-<version>/`.
public enum DatasetCache {
  public static var root: String {
    let environment = ProcessInfo.processInfo.environment
    if let path = environment["ADLAB_CACHE"], !path.isEmpty { return path }
    if let path = environment["XDG_CACHE_HOME"], !path.isEmpty { return path + "/adlab" }
    return NSHomeDirectory() + "/.cache/adlab"
  }

  /// The Open Bandit Dataset sample of obp 0.5.7.
  public static var openBanditFolder: String { root + "/datasets/obd-\(OpenBanditFetcher.version)" }
}
