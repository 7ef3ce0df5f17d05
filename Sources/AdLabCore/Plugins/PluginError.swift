/// A plugin that cannot be made or run with what it was given.
public enum PluginError: Error, CustomStringConvertible, Equatable {
  /// Parameters that pass each field's check but cannot work together at run time; says what to change.
  case invalidParameters(String)

  public var description: String {
    switch self {
    case .invalidParameters(let text): return text
    }
  }
}
