import AdLabTensor
import Foundation

/// Where fetched datasets live: outside the repository, in `$ADLAB_CACHE`, else `$XDG_CACHE_HOME/adlab`, else
/// `~/.cache/adlab`, under `datasets/<name>-<version>/`.
public enum DatasetCache {
  public static var root: String { CacheDirectory.root().path }

  /// The Open Bandit Dataset sample of obp 0.5.7.
  public static var openBanditFolder: String { root + "/datasets/obd-\(OpenBanditFetcher.version)" }
}
