import AdLabCore

extension PluginRegistry {
  /// Registers every policy of this target.
  public mutating func registerPolicies() {
    policies.register(
      "random", summary: "uniformly random ad; the no-learning baseline", parameters: NoParameters.self,
      capabilities: { _ in PluginCapabilities(.evaluableOffPolicy) }
    ) { _, context in
      RandomPolicy(context: context)
    }
    policies.register(
      "epsilon-greedy", summary: "best mean reward, exploring at random with probability ε (optionally decaying)",
      parameters: EpsilonGreedyPolicy.Params.self
    ) { params, context in
      EpsilonGreedyPolicy(params, context: context)
    }
    policies.register(
      "ucb1", summary: "highest upper confidence bound (Auer et al. 2002), batch-aware",
      parameters: UCB1Policy.Params.self
    ) { params, context in
      UCB1Policy(params, context: context)
    }
    policies.register(
      "thompson", summary: "Beta–Bernoulli Thompson sampling with exact argmax propensities",
      parameters: ThompsonPolicy.Params.self,
      check: { params, view in PolicySpecChecks.thompson(params, view: view) }
    ) { params, context in
      try ThompsonPolicy(params, context: context)
    }
    policies.register(
      "linucb", summary: "LinUCB (Li et al. 2010), disjoint or hybrid, on the context's dense features",
      parameters: LinUCBPolicy.Params.self,
      check: { params, view in PolicySpecChecks.linUCB(params, view: view) }
    ) { params, context in
      try LinUCBPolicy(params, context: context)
    }
    policies.register(
      "lin-ts", summary: "linear Thompson sampling (Agrawal & Goyal 2013) on the context's dense features",
      parameters: LinTSPolicy.Params.self,
      check: { params, view in
        PolicySpecChecks.features(view, key: "features") {
          _ = try ContextVectors(schema: $0, names: params.features, plugin: "lin-ts")
        }
      }
    ) { params, context in
      try LinTSPolicy(params, context: context)
    }
    policies.register(
      "greedy-model", summary: "ε-greedy on the interest model's pCTR, pCTR·pCVR or expected value",
      parameters: GreedyModelPolicy.Params.self, requiresModel: true,
      check: { params, view in
        PolicySpecChecks.ranking(
          params.objective, valueFeature: params.valueFeature, plugin: "greedy-model", view: view)
      }
    ) { params, context in
      try GreedyModelPolicy(params, context: context)
    }
    policies.register(
      "model-thompson",
      summary: "Thompson sampling on a Laplace-approximated Bayesian logistic click model (Chapelle & Li 2011)",
      parameters: ModelThompsonPolicy.Params.self
    ) { params, context in
      ModelThompsonPolicy(params, context: context)
    }
    policies.register(
      "squarecb",
      summary: "SquareCB (Foster & Rakhlin 2020): inverse-gap weighting on the interest model's predictions",
      parameters: SquareCBPolicy.Params.self, requiresModel: true,
      check: { params, view in
        PolicySpecChecks.ranking(params.objective, valueFeature: params.valueFeature, plugin: "squarecb", view: view)
      }
    ) { params, context in
      try SquareCBPolicy(params, context: context)
    }
    policies.register(
      "frequency-cap",
      summary:
        "myopic greedy ranking (model objective or per-ad mean), no ads once a user's recent exposures reach the cap",
      parameters: FrequencyCapPolicy.Params.self,
      check: { params, view in
        PolicySpecChecks.ranking(
          params.objective, valueFeature: params.valueFeature, plugin: "frequency-cap", view: view)
          + PolicySpecChecks.features(view, key: "exposure_feature") {
            _ = try FrequencyCapPolicy.exposureColumn(params.exposureFeature, schema: $0)
          }
      }
    ) { params, context in
      try FrequencyCapPolicy(params, context: context)
    }
    policies.register(
      "q-learning",
      summary: "tabular Q-learning over a binned user state: how many ads to show per visit, TD across a user's visits",
      parameters: QLearningPolicy.Params.self,
      check: { params, view in PolicySpecChecks.sequential(params, plugin: "q-learning", binned: true, view: view) }
    ) { params, context in
      try QLearningPolicy(params, context: context)
    }
    policies.register(
      "dqn",
      summary:
        "double DQN (MLP on the tensor core, replay ring, target network, Huber loss): how many ads to show per visit",
      parameters: DQNPolicy.Params.self,
      check: { params, view in PolicySpecChecks.sequential(params, plugin: "dqn", binned: false, view: view) }
    ) { params, context in
      try DQNPolicy(params, context: context)
    }
    policies.register(
      "exp3", summary: "exponential weights with uniform exploration, for adversarial rewards",
      parameters: Exp3Policy.Params.self
    ) { params, context in
      Exp3Policy(params, context: context)
    }
  }
}
