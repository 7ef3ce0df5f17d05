import AdLabBuiltins
import Testing

@testable import AdLabCore

/// The sweep: block decodes strictly, and grid, zip and random sweeps expand to the right, stable cells.
struct SweepPlanTests {
  static func spec(_ sweep: String, extra: String = "") -> String {
    """
    name: plan
    seed: 5
    replications: 2
    horizon: 1000
    batch: 100
    environment: { plugin: bernoulli, params: { arms: 4 } }
    variants:
      ucb: { policy: { plugin: ucb1, params: { c: 1 } } }
      eg: { policy: { plugin: epsilon-greedy } }
    \(extra)sweep:
    \(sweep)
    """
  }

  static func plan(_ sweep: String, overrides: [String] = []) throws -> SweepPlan {
    let loaded = try SpecLoader.load(
      text: spec(sweep), file: "p.yaml", overrides: overrides, registry: .builtin, allowSweeps: true)
    return try SweepPlan.expand(loaded, registry: .builtin)
  }

  static func errors(_ sweep: String, overrides: [String] = []) -> [String] {
    do {
      _ = try plan(sweep, overrides: overrides)
      return []
    } catch let error as SpecError {
      return error.diagnostics.map(\.description)
    } catch {
      return ["\(error)"]
    }
  }

  @Test func gridIsTheProductFirstKeySlowest() throws {
    let plan = try Self.plan(
      """
        grid:
          variants.ucb.policy.params.c: [0.5, 1, 2]
          variants.eg.policy.params.epsilon: "range(0.1, 0.3, 0.1)"
      """)
    #expect(plan.kind == "grid")
    #expect(plan.cells.count == 6)
    #expect(
      plan.cells.map(\.label) == [
        "c=0.5, epsilon=0.1", "c=0.5, epsilon=0.2", "c=1, epsilon=0.1", "c=1, epsilon=0.2", "c=2, epsilon=0.1",
        "c=2, epsilon=0.2",
      ])
    #expect(plan.cells[3].loaded.spec.variants[0].policy.parameters["c"] == .double(1))
    #expect(plan.cells[3].loaded.spec.variants[1].policy.parameters["epsilon"] == .double(0.2))
    #expect(plan.cells[3].id == BundleContents.experimentID(for: plan.cells[3].loaded.spec))
    #expect(plan.cells[0].loaded.spec.sweep == nil)
  }

  @Test func zipPairsAndCrossesWithTheGrid() throws {
    let plan = try Self.plan(
      """
        grid: { seed: "1,2" }
        zip:
          horizon: [1000, 2000, 3000]
          batch: [100, 200, 300]
      """)
    #expect(plan.kind == "grid × zip")
    #expect(plan.cells.count == 6)
    #expect(
      plan.cells.map { "\($0.loaded.spec.seed)/\($0.loaded.spec.horizon)/\($0.loaded.spec.batchSize)" } == [
        "1/1000/100", "1/2000/200", "1/3000/300", "2/1000/100", "2/2000/200", "2/3000/300",
      ])
  }

  @Test func randomDrawsNSeededSamples() throws {
    let sweep = """
        random:
          samples: 12
          seed: 9
          params:
            variants.ucb.policy.params.c: "loguniform(0.1, 10)"
            variants.eg.policy.params.epsilon: "uniform(0.01, 0.3)"
      """
    let a = try Self.plan(sweep), b = try Self.plan(sweep)
    #expect(a.cells.count == 12)
    #expect(a.cells.map(\.id) == b.cells.map(\.id))
    #expect(a.id == b.id)
    for cell in a.cells {
      let c = try #require(cell.parameters[0].value.double), e = try #require(cell.parameters[1].value.double)
      #expect(c >= 0.1 && c <= 10 && e >= 0.01 && e <= 0.3)
    }
    let other = try Self.plan(sweep.replacingOccurrences(of: "seed: 9", with: "seed: 10"))
    #expect(other.cells.map(\.id) != a.cells.map(\.id))
    // Choices may repeat; repeated cells run once.
    let choices = try Self.plan("  random: { samples: 20, params: { variants.ucb.policy.params.c: \"choice(1, 2)\" } }")
    #expect(choices.cells.count == 2)
    #expect(choices.duplicates == 18)
  }

  @Test func sweepingSetAddsAGridAxis() throws {
    let plan = try Self.plan(
      "  grid: { variants.ucb.policy.params.c: [1, 2] }", overrides: ["seed=1,2,3", "horizon=2000"])
    #expect(plan.cells.count == 6)
    #expect(plan.parameters == ["variants.ucb.policy.params.c", "seed"])
    #expect(plan.cells.allSatisfy { $0.loaded.spec.horizon == 2000 })
  }

  @Test func aChangedSpecChangesEveryID() throws {
    let a = try Self.plan("  grid: { variants.ucb.policy.params.c: [1, 2] }")
    let b = try Self.plan("  grid: { variants.ucb.policy.params.c: [1, 2] }", overrides: ["replications=3"])
    #expect(Set(a.cells.map(\.id)).isDisjoint(with: b.cells.map(\.id)))
    #expect(a.id != b.id)
  }

  @Test func sweepBlockErrorsNameTheirPlace() {
    #expect(
      Self.errors("  grd: { seed: [1, 2] }") == [
        "p.yaml:11:3: error: sweep.grd: unknown key 'grd'; did you mean 'grid'?"
      ])
    #expect(
      Self.errors("  grid: { variants.ucb.policy.params.c: [0.5, -1] }")
        == ["p.yaml:11:47: error: variants.ucb.policy.params.c: -1.0 is out of range; allowed: 0.0 ≤ x ≤ 100.0"])
    #expect(
      Self.errors("  grid: { seed: \"range(1, x)\" }") == [
        "p.yaml:11:27: error: sweep.grid.seed: 'x' is not a number; range() takes numbers"
      ])
    #expect(Self.errors("  grid: { seed: \"uniform(1, 2)\" }").first?.contains("only in a random sweep") == true)
    #expect(Self.errors("  zip: { seed: [1, 2], horizon: [1000] }").first?.contains("equal lengths") == true)
    #expect(Self.errors("  grid: { variants.ucb.policy.params.k: [1] }").first?.contains("did you mean 'c'?") == true)
    #expect(
      Self.errors("  random: { params: { seed: \"1,2\" } }").first?.contains("missing required key 'samples'") == true)
    #expect(Self.errors("  {}").first?.contains("the sweep varies nothing") == true)
  }

  @Test func aSpecWithASweepStillValidatesAndRunsItsBase() throws {
    let loaded = try SpecLoader.load(text: Self.spec("  grid: { seed: [1, 2] }"), file: "p.yaml", registry: .builtin)
    #expect(loaded.spec.sweep?.grid.count == 1)
    #expect(loaded.spec.resolvedJSON["sweep"] == nil)
  }
}

/// Which shard a process runs: --shard, Slurm array variables, or a Kubernetes completion index.
struct ShardTests {
  @Test func shardComesFromTheArgumentOrTheScheduler() throws {
    #expect(try Shard.resolve(argument: "2/4", count: nil, environment: [:]) == Shard(index: 2, count: 4))
    #expect(try Shard.resolve(argument: nil, count: nil, environment: [:]) == .all)
    #expect(
      try Shard.resolve(
        argument: nil, count: nil,
        environment: ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"])
        == Shard(index: 4, count: 8))
    #expect(
      try Shard.resolve(argument: nil, count: 3, environment: ["JOB_COMPLETION_INDEX": "2"])
        == Shard(index: 2, count: 3))
    #expect(
      try Shard.resolve(argument: "0/2", count: nil, environment: ["JOB_COMPLETION_INDEX": "1"])
        == Shard(index: 0, count: 2))
    #expect(throws: ShardError.missingCount(source: "JOB_COMPLETION_INDEX")) {
      try Shard.resolve(argument: nil, count: nil, environment: ["JOB_COMPLETION_INDEX": "1"])
    }
    #expect(throws: ShardError.malformed("1-4")) { try Shard.resolve(argument: "1-4", count: nil, environment: [:]) }
    #expect(throws: ShardError.self) { try Shard.resolve(argument: "4/4", count: nil, environment: [:]) }
    let shards = (0..<3).map { Shard(index: $0, count: 3) }
    #expect((0..<10).allSatisfy { cell in shards.filter { $0.contains(cell) }.count == 1 })
  }
}
