import AdLabBench
import AdLabCore
import AdLabTensor
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab bench ope`: rounds per second of IPW and of DR with a cross-fitted logistic reward model.
  struct BenchOPE: RegistryCommand {
    static let configuration = CommandConfiguration(
      commandName: "ope",
      abstract: "Measure off-policy estimators' rounds/s on synthetic logs (build with -c release).",
      discussion: """
        Generates ROUNDS synthetic logged rounds (10 actions, 5 context features, uniform logging), then times, on one \
        thread: IPW (importance weights of a softmax evaluation policy, point estimate and analytic SE), and DR \
        (logistic reward model with an action × context cross, K-fold cross-fitting with one epoch per fold, \
        predictions for every action, then the estimate). Bootstrap is excluded (it costs one pass per resample).
        """)

    @OptionGroup var kernelOptions: KernelOptions

    @Option(help: "Logged rounds.")
    var rounds: Int = 1_000_000

    @Option(help: "Cross-fitting folds.")
    var folds: Int = 3

    func run(registry: PluginRegistry) async throws {
      warnIfDebug()
      let clock = BenchClock()
      let spec = try SpecLoader.load(text: """
        name: bench-ope
        seed: 1
        horizon: 1
        batch: 1
        environment: { plugin: logged, params: { dataset: synthetic } }
        variants: { random: { policy: random } }
        evaluation:
          estimators: [ipw, dr]
          model: { plugin: logistic, params: { crosses: [action*context] } }
          folds: \(folds)
          epochs: 1
          batch: 1024
          bootstrap: 0
        """, file: "bench-ope.yaml", registry: registry).spec
      guard let regression = spec.evaluation?.regression else { return }

      // Each phase runs once (they are seconds long): a stopwatch, not a repeated measurement.
      let (generate, logs) = clock.time {
        SyntheticLogs.generate(rounds: rounds, actions: 10, features: 5, logging: .uniform, key: StreamKey(seed: 1).child("bench"))
      }
      // A softmax of the true click probabilities: a stochastic, non-uniform evaluation policy.
      var distribution = [Double](repeating: 0, count: logs.count * logs.candidateCount)
      if let q = logs.expectedRewards {
        for i in 0..<logs.count {
          var total = 0.0
          for a in 0..<10 { distribution[i * 10 + a] = AdLabMath.exp(q[i * 10 + a] / 0.1); total += distribution[i * 10 + a] }
          for a in 0..<10 { distribution[i * 10 + a] /= total }
        }
      }

      var start = clock.now
      let ipwInputs = OffPolicyInputs.make(logs: logs, distribution: distribution, rewardModel: nil, tau: .infinity, replay: nil)
      let ipw = ipwInputs.estimate([.ipw], bootstrap: 0, alpha: 0.05, bootstrapKey: StreamKey(seed: 1))[0]
      let ipwSeconds = clock.seconds(since: start)

      start = clock.now
      let key = StreamKey(seed: 1).child("bench-dr")
      let assignment = regression.foldAssignment(rounds: logs.count, key: key)
      let perFold = try TensorParallelism.$threads.withValue(1) {
        try (0..<folds).map { try regression.predictFold($0, folds: assignment, logs: logs, key: key) }
      }
      let q = RewardRegression.assemble(perFold, folds: assignment, rounds: logs.count, candidates: logs.candidateCount)
      let fitSeconds = clock.seconds(since: start)
      let drInputs = OffPolicyInputs.make(logs: logs, distribution: distribution, rewardModel: q, tau: .infinity, replay: nil)
      let dr = drInputs.estimate([.dr], bootstrap: 0, alpha: 0.05, bootstrapKey: StreamKey(seed: 1))[0]
      let drSeconds = clock.seconds(since: start)
      let truth = OffPolicyInputs.trueValue(logs: logs, distribution: distribution) ?? .nan

      print("off-policy estimators on \(rounds) synthetic rounds (10 actions, 5 features), one thread")
      print(String(format: "  generate logs         %8.3f s", generate))
      print(String(format: "  IPW                   %8.3f s  %12.0f rounds/s  estimate %.5f (SE %.5f, truth %.5f)",
                   ipwSeconds, Double(rounds) / ipwSeconds, ipw.value, ipw.standardError ?? .nan, truth))
      print(String(format: "  DR (logistic, %d-fold) %8.3f s  %12.0f rounds/s  estimate %.5f (SE %.5f); model fitting %.3f s",
                   folds, drSeconds, Double(rounds) / drSeconds, dr.value, dr.standardError ?? .nan, fitSeconds))
    }
  }
}
