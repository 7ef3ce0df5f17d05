/// The `training:` section of a spec: how `adlab train` logs data and fits each variant's model offline.
///
/// ```yaml
/// training: { examples: 20000, validation: 0.2, epochs: 10, patience: 2, batch: 256 }
/// ```
public struct TrainingSettings: PluginParameters, Equatable {
  public var examples = 20_000
  public var validation = 0.2
  public var epochs = 10
  public var patience = 2
  public var batch = 256

  public init() {}

  public static var fields: [ParameterField<TrainingSettings>] {
    [
      .init(
        "examples", \.examples, doc: "impressions logged with a uniform-random policy (train + validation)",
        .range(10...50_000_000)),
      .init(
        "validation", \.validation,
        doc: "share of the examples held out (the last ones) for validation and early stopping", .range(0.01...0.9)),
      .init("epochs", \.epochs, doc: "passes over the training examples at most", .range(1...1000)),
      .init(
        "patience", \.patience, doc: "epochs without a better validation log loss before stopping early",
        .range(1...1000)),
      .init("batch", \.batch, doc: "examples per mini-batch", .range(1...1_000_000)),
    ]
  }
}
