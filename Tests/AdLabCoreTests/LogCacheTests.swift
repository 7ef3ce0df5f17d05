import AdLabTensor
import Foundation
import Testing

@testable import AdLabCore

/// The columnar log cache: a cached read equals a fresh parse (across row groups), a changed source is read
/// again, and a damaged cache file is rebuilt rather than trusted.
struct LogCacheTests {
  static func csv(rounds: Int, seed: UInt64) -> String {
    var stream = RandomStream(key: StreamKey(seed: seed).child("cache-csv"))
    var text =
      "action,slot,reward,propensity,context_a,context_b,category_site,expected_reward_0,expected_reward_1,expected_reward_2\n"
    for _ in 0..<rounds {
      let a = stream.int(below: 3), s = stream.int(below: 2)
      text +=
        "\(a),\(s),\(stream.int(below: 2)),0.25,\(stream.normal()),\(stream.uniform()),site\(stream.int(below: 7)),"
      text += "\(stream.uniform()),\(stream.uniform()),\(stream.uniform())\n"
    }
    return text
  }

  static func expectEqual(_ a: LoggedBandit, _ b: LoggedBandit) {
    #expect(a.actions == b.actions && a.slots == b.slots && a.rewards == b.rewards && a.propensities == b.propensities)
    #expect(a.expectedRewards == b.expectedRewards && a.batch.features == b.batch.features)
    #expect(a.batch.schema == b.batch.schema && a.candidateCount == b.candidateCount && a.slotCount == b.slotCount)
    #expect(a.sourceHashes == b.sourceHashes)
  }

  static func adlogFiles(_ folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".adlog") }
      .sorted()
  }

  static func setModified(_ path: String, secondsAgo: Double) throws {
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -secondsAgo)], ofItemAtPath: path)
  }

  @Test func cachedReadEqualsParseAcrossGroupsAndRereadsAChangedSource() throws {
    let folder = try temporaryFolder("log-cache")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let cache = URL(fileURLWithPath: folder).appendingPathComponent("cache")
    let path = "\(folder)/logs.csv"
    // More rounds than one row group, so the groups' seams are crossed.
    let rounds = ColumnarLogFile.groupSize + 1_234
    try Self.csv(rounds: rounds, seed: 1).write(toFile: path, atomically: true, encoding: .utf8)
    try Self.setModified(path, secondsAgo: 3_600)
    let parsed = try LoggedBanditCSV.read(path: path, label: "logs.csv", name: "x", cache: nil)
    let first = try LoggedBanditCSV.read(path: path, label: "logs.csv", name: "x", cache: cache)
    let second = try LoggedBanditCSV.read(path: path, label: "logs.csv", name: "x", cache: cache)
    #expect(parsed.count == rounds)
    Self.expectEqual(parsed, first)
    Self.expectEqual(parsed, second)
    #expect(Self.adlogFiles(cache).count == 1)

    // The same bytes but one reward flipped: same size, a new modification time, a new sha256.
    var text = try String(contentsOfFile: path, encoding: .utf8)
    let header = text.firstIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
    let rewardAt = text.index(header, offsetBy: 4)
    let flipped: Character = text[rewardAt] == "0" ? "1" : "0"
    text.replaceSubrange(rewardAt...rewardAt, with: String(flipped))
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    try Self.setModified(path, secondsAgo: 1_800)
    let changed = try LoggedBanditCSV.read(path: path, label: "logs.csv", name: "x", cache: cache)
    #expect(changed.rewards[0] == (flipped == "1" ? 1 : 0) && changed.rewards[0] != parsed.rewards[0])
    #expect(changed.sourceHashes != parsed.sourceHashes)
    #expect(Self.adlogFiles(cache).count == 2)
    Self.expectEqual(changed, try LoggedBanditCSV.read(path: path, label: "logs.csv", name: "x", cache: nil))
  }

  @Test func aDamagedCacheFileIsRebuilt() throws {
    let folder = try temporaryFolder("log-cache")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let cache = URL(fileURLWithPath: folder).appendingPathComponent("cache")
    let path = "\(folder)/logs.csv"
    try Self.csv(rounds: 500, seed: 2).write(toFile: path, atomically: true, encoding: .utf8)
    let parsed = try LoggedBanditCSV.read(path: path, label: "logs.csv", name: "x", cache: cache)
    let files = Self.adlogFiles(cache)
    #expect(files.count == 1)
    for file in files {
      let handle = try FileHandle(forWritingTo: cache.appendingPathComponent(file))
      try handle.truncate(atOffset: 100)
      try handle.close()
    }
    Self.expectEqual(parsed, try LoggedBanditCSV.read(path: path, label: "logs.csv", name: "x", cache: cache))
  }

  @Test func cacheRootIsResolvedOnce() {
    let environment = ["ADLAB_CACHE": "/tmp/adlab-cache-test", "HOME": "/home/x"]
    #expect(LogCache.folder(environment: environment).path == "/tmp/adlab-cache-test/logs")
    #expect(CacheDirectory.root(environment: ["XDG_CACHE_HOME": "/xdg", "HOME": "/home/x"]).path == "/xdg/adlab")
    #expect(CacheDirectory.root(environment: ["HOME": "/home/x"]).path == "/home/x/.cache/adlab")
  }
}
