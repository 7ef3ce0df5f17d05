import Foundation

/// Where and how a bundle was made. Recorded in manifest.json, outside the digest: two machines that
/// produce the same numbers produce the same digest.
public struct Provenance: Sendable {
  public static let adlabVersion = "0.1.0"

  public var sourceRevision: String
  public var swiftVersion: String
  public var operatingSystem: String
  public var cpu: String
  public var commandLine: [String]
  public var jobs: Int

  /// Reads the facts of this process and machine.
  public static func current(commandLine: [String], jobs: Int) -> Provenance {
    Provenance(
      sourceRevision: sourceRevision(), swiftVersion: swiftVersion, operatingSystem: operatingSystem(),
      cpu: cpuModel(), commandLine: commandLine, jobs: jobs)
  }

  static var swiftVersion: String {
    #if compiler(>=6.4)
      return "6.4 or later"
    #elseif compiler(>=6.3)
      return "6.3"
    #elseif compiler(>=6.2)
      return "6.2"
    #else
      return "older than 6.2"
    #endif
  }

  /// The git commit of the AdLab sources this binary was built from, with "-dirty" when tracked files had changes,
  /// or "unknown" when it was built outside a git checkout. Fixed at build time by the SourceRevision package
  /// plugin (PackagePlugins/), never looked up at run time: the folder a binary runs in says nothing about it.
  static func sourceRevision() -> String { buildSourceRevision }

  static func operatingSystem() -> String {
    var name = utsname()
    uname(&name)
    func field<T>(_ value: T) -> String {
      withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
    return "\(field(name.sysname)) \(field(name.release)) \(field(name.machine))"
  }

  /// The CPU's model name and core count ("AMD EPYC … × 2"), for provenance and benchmark headers.
  public static func cpuModel() -> String {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":", maxSplits: 1)
      .last
    let name = model.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
    return "\(name) × \(ProcessInfo.processInfo.activeProcessorCount)"
  }
}
