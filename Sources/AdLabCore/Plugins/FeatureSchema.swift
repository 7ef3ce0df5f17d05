/// Which entity a feature describes, and so which rows carry it: user and context features have one row
/// per decision, ad features one row per (decision, candidate).
public enum FeatureSide: String, Sendable, CaseIterable {
  case user, context, ad

  /// Whether the feature has one row per candidate ad (rather than one per decision).
  public var isPerCandidate: Bool { self == .ad }
}

/// The features an environment serves with every decision, declared once. Interest models and contextual
/// policies find a feature's columns here by name and never look at environment internals.
public struct FeatureSchema: Sendable, Equatable {
  /// A categorical field: one raw 64-bit id per row. Models hash ids into their own bucket count with a
  /// seeded hash, so ids need not be dense.
  public struct Categorical: Sendable, Equatable {
    public var name: String
    public var side: FeatureSide
    /// Number of distinct ids when known (e.g. the number of ads), for sizing embedding tables.
    public var cardinality: Int?
    public init(_ name: String, side: FeatureSide, cardinality: Int? = nil) {
      self.name = name
      self.side = side
      self.cardinality = cardinality
    }
  }

  /// A numeric field: `width` floats per row (1 for a scalar, e.g. 384 for a text embedding).
  public struct Dense: Sendable, Equatable {
    public var name: String
    public var side: FeatureSide
    public var width: Int
    public init(_ name: String, side: FeatureSide, width: Int = 1) {
      precondition(width >= 1, "dense feature '\(name)' needs a width of at least 1")
      self.name = name
      self.side = side
      self.width = width
    }
  }

  /// A user's behaviour sequence: up to `maxLength` item ids per decision, most recent first, with a length.
  public struct Sequence: Sendable, Equatable {
    public var name: String
    public var maxLength: Int
    /// Number of distinct item ids when known.
    public var vocabulary: Int?
    public init(_ name: String, maxLength: Int, vocabulary: Int? = nil) {
      precondition(maxLength >= 1, "sequence '\(name)' needs a maxLength of at least 1")
      self.name = name
      self.maxLength = maxLength
      self.vocabulary = vocabulary
    }
  }

  public var categorical: [Categorical]
  public var dense: [Dense]
  public var sequences: [Sequence]

  public init(categorical: [Categorical] = [], dense: [Dense] = [], sequences: [Sequence] = []) {
    let names = categorical.map(\.name) + dense.map(\.name) + sequences.map(\.name)
    precondition(Set(names).count == names.count, "feature names must be unique: \(names)")
    self.categorical = categorical
    self.dense = dense
    self.sequences = sequences
  }

  /// No features: context-free bandits.
  public static let empty = FeatureSchema()

  /// Categorical fields per decision row (user and context side), in declaration order.
  public var decisionCategorical: [Categorical] { categorical.filter { !$0.side.isPerCandidate } }
  /// Categorical fields per candidate row (ad side), in declaration order.
  public var candidateCategorical: [Categorical] { categorical.filter { $0.side.isPerCandidate } }
  public var decisionDense: [Dense] { dense.filter { !$0.side.isPerCandidate } }
  public var candidateDense: [Dense] { dense.filter { $0.side.isPerCandidate } }
  /// Floats per decision row and per candidate row.
  public var decisionDenseWidth: Int { decisionDense.reduce(0) { $0 + $1.width } }
  public var candidateDenseWidth: Int { candidateDense.reduce(0) { $0 + $1.width } }
  public var sequenceWidth: Int { sequences.reduce(0) { $0 + $1.maxLength } }

  /// Where a feature's values sit within its row, or nil when the schema has no such feature.
  public func columns(of name: String) -> Range<Int>? {
    for fields in [decisionCategorical, candidateCategorical] {
      if let i = fields.firstIndex(where: { $0.name == name }) { return i..<(i + 1) }
    }
    for fields in [decisionDense, candidateDense] {
      var start = 0
      for field in fields {
        if field.name == name { return start..<(start + field.width) }
        start += field.width
      }
    }
    var start = 0
    for sequence in sequences {
      if sequence.name == name { return start..<(start + sequence.maxLength) }
      start += sequence.maxLength
    }
    return nil
  }
}
