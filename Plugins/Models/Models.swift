import AdLabCore

extension PluginRegistry {
  /// Registers every interest model of this target.
  public mutating func registerModels() {
    models.register(
      "logistic",
      summary:
        "hashed sparse logistic regression (FTRL-Proximal or Adagrad) over categorical fields, crosses and dense terms",
      parameters: LogisticModel.Params.self,
      check: { params, view in ModelSpecChecks.logistic(params, view: view) },
      memory: { params, _ in
        [ModelMemory.table(buckets: params.buckets, floatsPerRow: 3, "weights and FTRL/Adagrad state")]
      }
    ) { params, context in
      try FeatureSelectingModel.make(ignoring: params.ignoreFeatures, context: context) {
        try LogisticModel(params, context: $0)
      }
    }
    models.register(
      "fm", summary: "factorization machine (k-dim factors, Adagrad) over hashed categorical fields and dense columns",
      parameters: FactorizationMachine.Params.self,
      check: { params, view in ModelSpecChecks.ignored(params.ignoreFeatures, view: view) },
      memory: { params, _ in
        [
          ModelMemory.table(
            buckets: params.buckets, floatsPerRow: 2 * params.factors + 2 + 2, "factors, linear terms, Adagrad state")
        ]
      }
    ) { params, context in
      try FeatureSelectingModel.make(ignoring: params.ignoreFeatures, context: context) {
        try FactorizationMachine(params, context: $0)
      }
    }
    models.register(
      "deepfm", summary: "DeepFM: FM + MLP over shared embeddings (Adam); optional pCVR head (clicked rows or ESMM)",
      parameters: DeepFMNetwork<Float>.Params.self,
      capabilities: { params in PluginCapabilities(params.conversion == .none ? [] : .predictsConversions) },
      check: { params, view in ModelSpecChecks.deepFM(params, view: view) },
      memory: { params, _ in [ModelMemory.adamTable(buckets: params.buckets, width: params.embedding)] }
    ) { params, context in
      let (network, table) = try DeepFMNetwork<Float>.make(
        params, schema: context.featureSchema, key: context.key.child("deepfm"))
      return NeuralInterestModel(
        network: network, parameters: table, learningRate: params.learningRate,
        conversion: params.conversion)
    }
    models.register(
      "din", summary: "Deep Interest Network: candidate-specific attention over the user's behaviour sequence (Adam)",
      parameters: DeepInterestNetwork<Float>.Params.self,
      check: { params, view in ModelSpecChecks.din(params, view: view) },
      memory: { params, _ in [ModelMemory.adamTable(buckets: params.buckets, width: params.embedding)] }
    ) { params, context in
      let (network, table) = try DeepInterestNetwork<Float>.make(
        params, schema: context.featureSchema, key: context.key.child("din"))
      return NeuralInterestModel(network: network, parameters: table, learningRate: params.learningRate)
    }
    models.register(
      "two-tower",
      summary: "user and ad towers (MLPs) scored by their dot product; takes dense ad vectors such as text embeddings",
      parameters: TwoTowerNetwork<Float>.Params.self,
      check: { params, view in ModelSpecChecks.twoTower(params, view: view) },
      memory: { params, _ in [ModelMemory.adamTable(buckets: params.buckets, width: params.embedding)] }
    ) { params, context in
      try FeatureSelectingModel.make(ignoring: params.ignoreFeatures, context: context) { context in
        let (network, table) = try TwoTowerNetwork<Float>.make(
          params, schema: context.featureSchema, key: context.key.child("two-tower"))
        return NeuralInterestModel(network: network, parameters: table, learningRate: params.learningRate)
      }
    }
  }
}
