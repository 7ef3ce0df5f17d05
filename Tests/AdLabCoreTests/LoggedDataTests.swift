import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// Reading logged data: the generic CSV schema's errors name file, row and column; the OBD reader on real files.
struct LoggedDataTests {
  static func read(_ body: String, actions: Int? = 3) throws -> LoggedBandit {
    let folder = try temporaryFolder("logged-csv")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = "\(folder)/logs.csv"
    try ("action,slot,reward,propensity,context_0\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
    return try LoggedBanditCSV.read(path: path, label: "logs.csv", name: "test", actions: actions, cache: nil)
  }

  @Test func wellFormedCSVReads() throws {
    let logs = try Self.read("0,0,1,0.5,0.25\n2,0,0,\"0.25\",-1\n")
    #expect(logs.count == 2 && logs.candidateCount == 3 && logs.slotCount == 1)
    #expect(logs.actions == [0, 2] && logs.rewards == [1, 0] && logs.propensities == [0.5, 0.25])
    #expect(logs.batch.features.decisionDense == [0.25, -1])
  }

  @Test(arguments: [
    ("0,0,1,,0.1\n", LoggedDataError.missingPropensity(file: "logs.csv", row: 2, column: "propensity")),
    ("0,0,1,0.5,0\n1,0,1,1.5,0\n", .propensityOutOfRange(file: "logs.csv", row: 3, column: "propensity", value: 1.5)),
    ("0,0,1,0,0\n", .propensityOutOfRange(file: "logs.csv", row: 2, column: "propensity", value: 0)),
    ("7,0,1,0.5,0\n", .unknownAction(file: "logs.csv", row: 2, column: "action", value: "7", known: 3)),
    ("0,0,yes,0.5,0\n", .badNumber(file: "logs.csv", row: 2, column: "reward", value: "yes")),
    ("0,0,1,0.5\n", .wrongFieldCount(file: "logs.csv", row: 2, expected: 5, found: 4)),
    // Blank lines are skipped but still counted: the error names the line in the file.
    (
      "0,0,1,0.5,0\n\n\n1,0,1,1.5,0\n",
      .propensityOutOfRange(file: "logs.csv", row: 5, column: "propensity", value: 1.5)
    ),
  ])
  func malformedRowsNameRowAndColumn(body: String, expected: LoggedDataError) {
    #expect(throws: expected) { try Self.read(body) }
  }

  @Test func missingRequiredColumnIsNamed() throws {
    let folder = try temporaryFolder("logged-csv")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try "action,reward\n0,1\n".write(toFile: "\(folder)/x.csv", atomically: true, encoding: .utf8)
    #expect(throws: LoggedDataError.missingColumn(file: "x.csv", column: "propensity")) {
      try LoggedBanditCSV.read(path: "\(folder)/x.csv", label: "x.csv", name: "x", cache: nil)
    }
  }

  static let fetched = OpenBanditFetcher.verify(folder: DatasetCache.openBanditFolder)

  @Test(.enabled(if: fetched, "the Open Bandit Dataset is not in the cache: run `adlab data fetch obd` (CI does)"))
  func openBanditDatasetReads() throws {
    let folder = DatasetCache.openBanditFolder
    let logs = try OpenBanditDataset.read(folder: folder, campaign: "men", behavior: "random")
    #expect(logs.count == 10_000 && logs.candidateCount == 34 && logs.slotCount == 3)
    #expect(Set(logs.slots) == [0, 1, 2])
    #expect(logs.propensities.allSatisfy { abs($0 - 1.0 / 34) < 1e-4 })
    #expect(logs.rewards.allSatisfy { $0 == 0 || $0 == 1 })
    #expect(logs.batch.schema.columns(of: "user_item_affinity")?.count == 34)
    let prior = try OpenBanditDataset.zozotownPrior(folder: folder, campaign: "all")
    #expect(prior.alpha.count == 80 && prior.beta.count == 80)
    let bts = try OpenBanditDataset.onPolicyValue(folder: folder, campaign: "all", behavior: "bts")
    #expect(bts.value > 0 && bts.value < 0.05)
  }

  @Test func missingDatasetSaysToFetch() {
    #expect {
      try OpenBanditDataset.read(folder: "/nonexistent-adlab", campaign: "all", behavior: "random")
    } throws: { "\($0)".contains("adlab data fetch obd") }
  }
}
