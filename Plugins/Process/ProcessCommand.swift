import AdLabCore
import Foundation

/// The `command` parameter of a process plugin: the program and its arguments, checked when the spec is loaded
/// (not empty; every argument ending in `.py` names an existing file), with the sha256 of each script file it
/// names (every argument after the program that is an existing regular file), for the bundle's provenance.
/// Relative paths are relative to the directory adlab runs in, as they are for the child.
public struct ProcessCommand: ParameterValue, Equatable {
  public var arguments: [String] = []
  /// `"<sha256>  <path>"` (the `sha256sum` format) for each script file named in `arguments`, in order.
  public var scriptDigests: [String] = []

  public init(_ arguments: [String] = []) {
    self.arguments = arguments
    scriptDigests = (try? Self.digests(of: arguments)) ?? []
  }

  public static var typeDescription: String { "a list of strings (program, then arguments)" }

  public static func decode(_ node: YAMLNode, path: String, sink: DiagnosticSink) -> ProcessCommand? {
    guard let arguments = [String].decode(node, path: path, sink: sink) else { return nil }
    guard let program = arguments.first, !program.isEmpty else {
      sink.error(
        "the command is empty; give the program and its arguments, e.g. [python3, my_policy.py]", at: node.mark,
        path: path)
      return nil
    }
    var ok = true
    if case .sequence(let sequence) = node, !Self.isExecutable(program) {
      sink.error(
        program.contains("/")
          ? "program '\(program)' is not an executable file (relative paths are from the directory adlab runs in)"
          : "program '\(program)' is not on PATH; give its full path or install it",
        at: sequence.items[0].mark, path: "\(path)[0]")
      ok = false
    }
    if case .sequence(let sequence) = node {
      for (index, argument) in arguments.enumerated() where argument.hasSuffix(".py") && !Self.isFile(argument) {
        let cwd = FileManager.default.currentDirectoryPath
        sink.error(
          "script '\(argument)' does not exist (relative paths are from the directory adlab runs in, \(cwd))",
          at: sequence.items[index].mark, path: "\(path)[\(index)]")
        ok = false
      }
    }
    guard ok else { return nil }
    do {
      return ProcessCommand(arguments: arguments, scriptDigests: try digests(of: arguments))
    } catch {
      sink.error("cannot read a script named in the command: \(error)", at: node.mark, path: path)
      return nil
    }
  }

  public var json: JSONValue { .array(arguments.map(JSONValue.string)) }

  private init(arguments: [String], scriptDigests: [String]) {
    self.arguments = arguments
    self.scriptDigests = scriptDigests
  }

  /// Whether the child can be started: `program` names an executable file, directly when it has a slash, else
  /// through PATH (as `posix_spawnp` looks it up).
  static func isExecutable(_ program: String) -> Bool {
    if program.contains("/") { return isFile(program) && access(program, X_OK) == 0 }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return path.split(separator: ":").contains { directory in
      let candidate = "\(directory)/\(program)"
      return isFile(candidate) && access(candidate, X_OK) == 0
    }
  }

  static func isFile(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
  }

  static func digests(of arguments: [String]) throws -> [String] {
    try arguments.dropFirst().filter(isFile).map { "\(try FileDigest.sha256(path: $0))  \($0)" }
  }
}
