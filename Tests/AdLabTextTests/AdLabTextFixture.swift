import Foundation

/// Where this test target's committed fixtures live (next to the sources, excluded from the target).
enum TextFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
  static var minilmReference: URL { directory.appendingPathComponent("minilm-reference.json") }
}
