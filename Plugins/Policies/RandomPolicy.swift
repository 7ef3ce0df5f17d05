import AdLabCore
import AdLabTensor

/// Shows a uniformly random ad: the no-learning baseline every policy should beat.
public final class RandomPolicy: Policy {
  private var stream: RandomStream
  private let arms: Int

  public init(context: PluginContext) {
    stream = RandomStream(key: context.key.child("random"))
    arms = context.candidateCount
  }

  public func choose(_ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>, propensities: UnsafeMutableBufferPointer<Double>?) {
    let p = 1 / Double(arms)
    for i in 0..<batch.count {
      actions[i] = Int32(stream.int(below: arms))
      propensities?[i] = p
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>) {}
}
