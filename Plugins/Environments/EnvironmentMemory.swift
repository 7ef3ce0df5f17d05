import AdLabCore

/// The memory each environment declares for one job: its population and catalogue, and the per-batch buffers that
/// grow with batch × candidates (features, and the oracle's expected outcomes of every candidate: seven Double
/// columns plus the expected rewards).
enum EnvironmentMemory {
  static let oracleBytesPerCandidate = 8 * 8

  static func bernoulli(_ params: BernoulliEnvironment.Params, _ view: SpecView) -> [MemoryNeed] {
    var needs = [
      MemoryNeed.linear(
        key: "arms", count: MemoryNeed.product(view.batchSize, params.arms), bytesEach: oracleBytesPerCandidate,
        "batch × arms oracle outcomes")
    ]
    if params.drift > 0, params.driftInterval > 0 {
      let periods = (view.horizon + params.driftInterval - 1) / params.driftInterval
      needs.append(
        .linear(
          key: "drift_interval", count: MemoryNeed.product(periods, params.arms), bytesEach: 8,
          "drift periods × arms rates"))
    }
    return needs
  }

  static func contextual(_ params: ContextualEnvironment.Params, _ view: SpecView) -> [MemoryNeed] {
    let candidates = MemoryNeed.product(view.batchSize, params.arms)
    return [
      .linear(
        key: "arms", count: candidates, bytesEach: 4 * params.dimension + 8 * 3 + oracleBytesPerCandidate,
        "batch × arms candidate features and oracle outcomes"),
      .linear(
        key: "history", count: MemoryNeed.product(view.batchSize, params.history), bytesEach: 8,
        "batch × history sequence items"),
      .linear(key: "items", count: params.items, bytesEach: 8 * params.dimension, "item vectors"),
    ]
  }

  static func ecommerce(_ params: EcommerceEnvironment.Params, _ view: SpecView) -> [MemoryNeed] {
    // Per user, as laid out by EcommerceUsers; per item, the catalogue's columns and title tokens.
    let perUser = 40 + 8 * params.topCategories + 4 * params.history + 6 * params.exposureMemory
    let perItem = 2 + 2 + 4 * 4 + 8 * EcommerceCatalog.titleWords
    let candidates = MemoryNeed.product(view.batchSize, params.slots, params.candidates)
    return [
      .linear(key: "users", count: params.users, bytesEach: perUser, "users"),
      .linear(key: "items", count: params.items, bytesEach: perItem, "catalogue items"),
      .linear(
        key: "candidates", count: candidates, bytesEach: 64 + oracleBytesPerCandidate,
        "batch × slots × candidates features and oracle outcomes"),
    ]
  }
}
