/// Why a YAML file could not be turned into a node tree.
///
/// Every case but `unreadableFile` names the file and a 1-based mark, and `description` reads like
/// a compiler diagnostic: `spec.yaml:3:7: error: duplicate key 'seed' (first defined at 1:1)`.
public enum YAMLError: Error, Equatable, CustomStringConvertible {
  /// libyaml rejected the text. `message` is libyaml's problem, then its context in parentheses
  /// (`while parsing a block mapping at 1:1`), then, on further lines, the offending source line
  /// with a caret under `mark` (see `sourceSnippet(text:mark:)`) when there is one to show.
  case syntax(file: String, mark: SourceMark, message: String)
  /// A mapping sets `key` twice: at `mark`, and first at `firstMark`.
  case duplicateKey(
    file: String, key: String, mark: SourceMark, firstMark: SourceMark)
  /// A mapping key at `mark` is a mapping or a list.
  case nonScalarKey(file: String, mark: SourceMark)
  /// An alias `*name` at `mark` names no anchor defined before it.
  case unknownAlias(file: String, name: String, mark: SourceMark)
  /// A `YAMLLimits` bound was passed at `mark`; `limit` says which, as in
  /// `more than 1000000 nodes (alias expansion)`.
  case limitExceeded(file: String, mark: SourceMark, limit: String)
  /// A second document starts at `mark`; a file holds exactly one.
  case multipleDocuments(file: String, mark: SourceMark)
  /// The file at `path` could not be read; `reason` is the system's (`No such file or directory`).
  case unreadableFile(path: String, reason: String)

  public var description: String {
    switch self {
    case .syntax(let file, let mark, let message):
      diagnostic(file, mark, message)
    case .duplicateKey(let file, let key, let mark, let firstMark):
      diagnostic(
        file, mark, "duplicate key '\(key)' (first defined at \(firstMark))")
    case .nonScalarKey(let file, let mark):
      diagnostic(
        file, mark, "mapping keys must be scalars, not mappings or lists")
    case .unknownAlias(let file, let name, let mark):
      diagnostic(
        file, mark,
        "unknown alias '*\(name)' (an anchor '&\(name)' must come before it)")
    case .limitExceeded(let file, let mark, let limit):
      diagnostic(file, mark, "limit exceeded: \(limit)")
    case .multipleDocuments(let file, let mark):
      diagnostic(
        file, mark,
        "a second YAML document starts here; a file may hold only one")
    case .unreadableFile(let path, let reason):
      "\(path): error: cannot read file: \(reason)"
    }
  }

  private func diagnostic(_ file: String, _ mark: SourceMark, _ message: String)
    -> String
  {
    "\(file):\(mark): error: \(message)"
  }
}
