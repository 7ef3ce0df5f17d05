import Testing

/// `adlab bench policies` on the shared harness, at a tiny horizon (the figures of a debug build mean nothing; the
/// table's shape and the run do): one aligned row per policy, no peers.
extension CLITests {
  @Test func benchPoliciesPrintsOneAlignedRowPerPolicy() throws {
    let result = try adlab(
      ["bench", "policies", "--policies", "ucb1,thompson,linucb", "--horizon", "3000", "--batch", "500", "--no-peers"],
      environment: [:])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    let header = try #require(lines.first { $0.hasPrefix("policy") }, "\(result.stdout)")
    #expect(header.hasSuffix("ratio (1 job)"))
    let rows = lines.filter {
      ["ucb1", "thompson", "linucb"].contains($0.split(separator: " ").first.map(String.init))
    }
    #expect(rows.count == 3, "\(result.stdout)")
    // Aligned columns: every row as long as the header, with a rate in millions and no peer.
    for row in rows {
      #expect(row.count == header.count, "\(row)")
      #expect(row.hasSuffix("-"), "\(row)")
      let rate = try #require(Double(row.split(separator: " ")[1]), "\(row)")
      #expect(rate > 0)
    }
  }
}
