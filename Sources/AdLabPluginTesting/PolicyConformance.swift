public import AdLabCore

/// The contract every policy keeps (see `Policy`), checked on a small world:
/// - every decision gets valid candidate indices (or `noAd`), distinct within the decision;
/// - propensities of shown ads are in (0, 1], or NaN where the policy documents it cannot say;
/// - two instances made from the same context choose the same actions (determinism under the same stream);
/// - asking for propensities does not change what the policy does next.
public enum PolicyConformance {
  /// Runs every check on policy `name`; an empty result means it conforms.
  /// `params` (a YAML mapping) is for policies whose defaults are not valid on their own.
  public static func check(_ name: String, params: String? = nil, registry: PluginRegistry, batches: Int = 8)
    -> [ConformanceFailure]
  {
    switch ConformanceWorld.forPolicy(name, params: params, registry: registry) {
    case .failure(let failure): return [failure]
    case .success(let world):
      do {
        return try run(name, world: world, batches: batches)
      } catch {
        return [ConformanceFailure(plugin: name, check: "make", "\(error)")]
      }
    }
  }

  static func run(_ name: String, world: ConformanceWorld, batches: Int) throws -> [ConformanceFailure] {
    let spec = world.spec, variant = spec.variants[0]
    let environment = try spec.environment.make(world.context(.environment, environment: nil))
    let model = try variant.model?.make(world.context(.model, environment: environment))
    // asked: asked for propensities; plain and twin: never asked, made from the same context.
    let asked = try variant.policy.make(world.context(.policy, environment: environment))
    let plain = try variant.policy.make(world.context(.policy, environment: environment))
    let twin = try variant.policy.make(world.context(.policy, environment: environment))
    let reward = try spec.reward.make(world.context(.reward, environment: environment))
    let k = environment.candidateCount, slots = environment.slotCount
    var failures: [ConformanceFailure] = []
    func fail(_ check: String, _ message: String) {
      failures.append(ConformanceFailure(plugin: name, check: check, message))
    }

    var step = 0, outcomes = OutcomeBatch(count: 0)
    for _ in 0..<batches {
      var batch = environment.nextBatch(firstStep: step, count: spec.batchSize)
      step += spec.batchSize
      let n = batch.count
      guard n > 0 else { continue }
      if let model {
        var predictions = Predictions(count: n * k, conversions: model.predictsConversions)
        model.predict(batch, into: &predictions)
        batch.predictions = predictions
      }
      var a = [Int32](repeating: DecisionBatch.noAd, count: n * slots), b = a, c = a
      var propensities = [Double](repeating: .nan, count: n * slots)
      a.withUnsafeMutableBufferPointer { out in
        propensities.withUnsafeMutableBufferPointer { asked.choose(batch, actions: out, propensities: $0) }
      }
      b.withUnsafeMutableBufferPointer { plain.choose(batch, actions: $0, propensities: nil) }
      c.withUnsafeMutableBufferPointer { twin.choose(batch, actions: $0, propensities: nil) }
      for i in 0..<n {
        let page = a[(i * slots)..<((i + 1) * slots)].filter { $0 != DecisionBatch.noAd }
        if page.contains(where: { $0 < 0 || Int($0) >= k }) {
          fail("valid actions", "decision \(i) at step \(step): \(Array(page)) with \(k) candidates")
        }
        if Set(page).count != page.count {
          fail("distinct actions", "decision \(i) at step \(step) repeats an ad: \(Array(page))")
        }
      }
      for (index, p) in propensities.enumerated() where a[index] != DecisionBatch.noAd && !p.isNaN && !(p > 0 && p <= 1)
      {
        fail("propensities", "entry \(index) at step \(step): \(p) is outside (0, 1]")
      }
      if b != c { fail("determinism", "two instances from the same context chose differently at step \(step)") }
      if a != b { fail("propensities change nothing", "asking for propensities changed the actions at step \(step)") }
      guard failures.isEmpty else { return failures }

      outcomes.prepare(count: n * slots)
      a.withUnsafeBufferPointer { environment.resolve(batch, actions: $0, into: &outcomes) }
      var rewards = [Double](repeating: 0, count: n * slots)
      rewards.withUnsafeMutableBufferPointer { reward.rewards(for: outcomes, into: $0) }
      reward.observe(outcomes)
      a.withUnsafeBufferPointer { shown in
        rewards.withUnsafeBufferPointer { r in
          for policy in [asked, plain, twin] { policy.update(batch, actions: shown, rewards: r) }
        }
        model?.learn(batch, actions: shown, outcomes: outcomes)
      }
    }
    return failures
  }
}
