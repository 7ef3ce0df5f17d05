/// One problem in a spec, pointing at the file, line, column and key path where it is.
public struct SpecDiagnostic: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var mark: SourceMark
  /// Dotted path of the key, e.g. `variants.ucb.policy.params.c`; empty for the document itself.
  public var keyPath: String
  public var message: String
  /// What to do about it, e.g. "did you mean 'horizon'?".
  public var suggestion: String?

  public init(file: String, mark: SourceMark, keyPath: String, message: String, suggestion: String? = nil) {
    self.file = file
    self.mark = mark
    self.keyPath = keyPath
    self.message = message
    self.suggestion = suggestion
  }

  public var description: String {
    var text = "\(file):\(mark.line):\(mark.column): error: "
    if !keyPath.isEmpty { text += "\(keyPath): " }
    text += message
    if let suggestion { text += "; \(suggestion)" }
    return text
  }
}

/// Collects every problem found while decoding one spec, so a user sees them all at once.
public final class DiagnosticSink {
  public let file: String
  /// `--set` arguments; a node they added has its marks on line `-index` (0 for the first).
  public let overrides: [String]
  public private(set) var diagnostics: [SpecDiagnostic] = []

  public init(file: String, overrides: [String] = []) {
    self.file = file
    self.overrides = overrides
  }

  public func error(_ message: String, at mark: SourceMark, path: String, suggestion: String? = nil) {
    if mark.line <= 0, -mark.line < overrides.count {
      let place = SourceMark(line: 1, column: mark.column)
      diagnostics.append(
        SpecDiagnostic(
          file: "--set \(overrides[-mark.line])", mark: place, keyPath: path, message: message, suggestion: suggestion))
    } else {
      diagnostics.append(
        SpecDiagnostic(file: file, mark: mark, keyPath: path, message: message, suggestion: suggestion))
    }
  }

  public var hasErrors: Bool { !diagnostics.isEmpty }
}

/// A spec that could not be loaded: every problem found, each with its place, and the source lines to show them.
public struct SpecError: Error, Sendable, CustomStringConvertible {
  public var diagnostics: [SpecDiagnostic]
  /// The spec file and its text, when known, to print the offending lines under each message.
  public var source: (file: String, text: String)?

  public init(_ diagnostics: [SpecDiagnostic], source: (file: String, text: String)? = nil) {
    self.diagnostics = diagnostics.sorted { ($0.file, $0.mark, $0.keyPath) < ($1.file, $1.mark, $1.keyPath) }
    self.source = source
  }

  public var description: String {
    diagnostics.map { diagnostic in
      var text = diagnostic.description
      if let source, diagnostic.file == source.file {
        text += "\n" + sourceSnippet(text: source.text, mark: diagnostic.mark)
      }
      return text
    }.joined(separator: "\n")
  }
}

/// Joins a key path and a child key.
func joinPath(_ parent: String, _ key: String) -> String {
  parent.isEmpty ? key : parent + "." + key
}
