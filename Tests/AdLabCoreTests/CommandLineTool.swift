import Foundation

/// Runs the `adlab` executable that `swift build`/`swift test` put beside the test bundle.
enum CommandLineTool {
  /// The built `adlab`, or nil when it is not there (then CLI tests are skipped with a message).
  static let adlab: String? = {
    let candidates = [
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("adlab").path,
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/adlab")
        .standardized.path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  /// Starts `adlab arguments…` in `directory`, output discarded unless captured.
  static func start(_ arguments: [String], in directory: String) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: adlab ?? "/nonexistent/adlab")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    return (process, pipe)
  }

  /// Runs `adlab arguments…` to the end: exit status and combined output.
  static func run(_ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
    let (process, pipe) = try start(arguments, in: directory)
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}

/// A fresh temporary folder per test.
func temporaryFolder(_ name: String) throws -> String {
  let path = NSTemporaryDirectory() + "adlab-\(name)-\(UUID().uuidString.prefix(8))"
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// Every file under `folder` (relative paths) with its bytes, leaving out manifests (wall clock) and hidden files.
func contentFiles(_ folder: String) -> [String: Data] {
  var files: [String: Data] = [:]
  let enumerator = FileManager.default.enumerator(atPath: folder)
  while let relative = enumerator?.nextObject() as? String {
    let name = (relative as NSString).lastPathComponent
    guard !name.hasPrefix("."), !relative.contains("/."), name != "manifest.json" else { continue }
    var isDirectory: ObjCBool = false
    let path = "\(folder)/\(relative)"
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
      files[relative] = FileManager.default.contents(atPath: path)
    }
  }
  return files
}
