public import AdLabCore
import AdLabTensor

/// The contract every reward keeps (see `RewardFunction`): an all-zero outcome, an empty slot, earns exactly 0,
/// before and after it has observed outcomes.
public enum RewardConformance {
  public static func check(_ name: String, registry: PluginRegistry) -> [ConformanceFailure] {
    let sink = DiagnosticSink(file: "conformance.yaml")
    guard
      let prepared = registry.rewards.prepare(
        name: name, nameMark: SourceMark(line: 1, column: 1), params: nil, path: "reward", sink: sink)
    else {
      return [
        ConformanceFailure(plugin: name, check: "defaults", "its default parameters do not decode: \(sink.diagnostics)")
      ]
    }
    do {
      let reward = try prepared.make(
        PluginContext(
          key: StreamKey(seed: 7).child("reward"), replication: 0, horizon: 100, batchSize: 10, candidateCount: 4))
      var failures: [ConformanceFailure] = []
      for round in 0..<2 {
        let empty = OutcomeBatch(count: 5)
        var rewards = [Double](repeating: .nan, count: 5)
        rewards.withUnsafeMutableBufferPointer { reward.rewards(for: empty, into: $0) }
        if rewards.contains(where: { $0 != 0 }) {
          failures.append(ConformanceFailure(plugin: name, check: "empty slot earns 0", "round \(round): \(rewards)"))
        }
        reward.observe(empty)
      }
      return failures
    } catch {
      return [ConformanceFailure(plugin: name, check: "make", "\(error)")]
    }
  }
}
