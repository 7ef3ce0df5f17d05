import Foundation

/// Runs a Python peer script from Tests/Peers with python3 (or `$ADLAB_PYTHON`, e.g. a virtual environment with
/// torch) and returns its standard output (empty when Python or the script is missing); its standard error
/// passes through, so a missing peer library says so.
func runPeerScript(_ name: String, _ arguments: [String]) -> String {
  let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Tests/Peers/\(name)").standardized.path
  guard FileManager.default.fileExists(atPath: script) else { return "" }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [ProcessInfo.processInfo.environment["ADLAB_PYTHON"] ?? "python3", script] + arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.standardError
  guard (try? process.run()) != nil else { return "" }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return String(decoding: data, as: UTF8.self)
}

/// Runs the Python bandit peers and reads their figures: policy name → decisions per second.
enum PeerBenchmark {
  struct Figure {
    var rate: Double
    var source: String
  }

  static func run(horizon: Int, batch: Int) -> [String: Figure] {
    run(script: "bandit_peers.py", arguments: ["--horizon", String(horizon), "--batch", String(batch)])
  }

  /// Runs `Tests/Peers/<script>`; its stdout lines are "<name> <per second> <source>".
  static func run(script name: String, arguments: [String]) -> [String: Figure] {
    var figures: [String: Figure] = [:]
    for line in runPeerScript(name, arguments).split(separator: "\n") {
      let parts = line.split(separator: " ")
      guard parts.count >= 3, let rate = Double(parts[1]) else { continue }
      figures[String(parts[0])] = Figure(rate: rate, source: parts[2...].joined(separator: " "))
    }
    return figures
  }
}
