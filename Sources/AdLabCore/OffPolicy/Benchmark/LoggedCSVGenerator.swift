public import AdLabTensor
import Foundation

/// Writes a logged-bandit CSV in AdLab's generic schema at any size, seeded, streaming (memory does not grow with
/// the rounds): `action,reward,propensity,slot,context_0..context_4,category_0`, 10 actions logged uniformly
/// (propensity 0.1), clicks from a logistic model of the context as in `SyntheticLogs`, contexts to 4 decimals,
/// about 53 bytes a round. The benchmark of `adlab bench ope` and its pandas peer read these files.
public enum LoggedCSVGenerator {
  public static let actions = 10, features = 5

  /// Writes `rounds` rounds to `path` (replacing it), from the streams of `key`.
  /// - Throws: `LoggedDataError.other` when the file cannot be written.
  public static func write(rounds: Int, to path: String, key: StreamKey) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path)
    else {
      throw LoggedDataError.other("\(path): cannot write the generated log")
    }
    defer { try? handle.close() }
    var model = RandomStream(key: key.child("model"))
    let theta = (0..<(actions * features)).map { _ in model.normal() / Double(features).squareRoot() }
    let bias = (0..<actions).map { _ in -1.5 + 0.5 * model.normal() }
    var contexts = RandomStream(key: key.child("contexts")), behaviour = RandomStream(key: key.child("behaviour"))
    var outcomes = RandomStream(key: key.child("rewards")), categories = RandomStream(key: key.child("categories"))
    var buffer: [UInt8] = Array(
      "action,reward,propensity,slot,context_0,context_1,context_2,context_3,context_4,category_0\n".utf8)
    buffer.reserveCapacity(1 << 20)
    var x = [Double](repeating: 0, count: features)
    for _ in 0..<rounds {
      for j in 0..<features { x[j] = (contexts.normal() * 10_000).rounded() / 10_000 }
      let a = behaviour.int(below: actions)
      var z = bias[a]
      for j in 0..<features { z += theta[a * features + j] * x[j] }
      let click = outcomes.bernoulli(1 / (1 + AdLabMath.exp(-z)))
      appendInteger(a, to: &buffer)
      buffer += click ? Array(",1,0.1,0".utf8) : Array(",0,0.1,0".utf8)
      for j in 0..<features {
        buffer.append(UInt8(ascii: ","))
        appendFixed(x[j], to: &buffer)
      }
      buffer += Array(",c".utf8)
      appendInteger(categories.int(below: 20), to: &buffer)
      buffer.append(UInt8(ascii: "\n"))
      if buffer.count > (1 << 20) - 256 {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
      }
    }
    try handle.write(contentsOf: buffer)
  }

  private static func appendInteger(_ value: Int, to buffer: inout [UInt8]) {
    if value >= 10 { appendInteger(value / 10, to: &buffer) }
    buffer.append(UInt8(48 + value % 10))
  }

  /// `value` (a multiple of 10⁻⁴) with exactly four decimals, without Foundation's formatter.
  private static func appendFixed(_ value: Double, to buffer: inout [UInt8]) {
    let scaled = Int((abs(value) * 10_000).rounded())
    if value < 0 && scaled != 0 { buffer.append(UInt8(ascii: "-")) }
    appendInteger(scaled / 10_000, to: &buffer)
    buffer.append(UInt8(ascii: "."))
    var fraction = scaled % 10_000, divisor = 1_000
    for _ in 0..<4 {
      buffer.append(UInt8(48 + fraction / divisor))
      fraction %= divisor
      divisor /= 10
    }
  }
}
