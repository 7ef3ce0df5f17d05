/// "Did you mean" support: the known names closest to a mistyped one.
public enum NameSuggestion {
  /// Levenshtein distance between two strings, over Unicode scalars.
  public static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }

  /// Known names within a typo's reach of `name` (distance at most max(2, a third of its length)); a known
  /// name that contains `name` (or is contained by it) also counts. Only the closest (ties included) are
  /// returned, so `prior_alfa` suggests `prior_alpha`, not also `prior_beta`.
  public static func closest(to name: String, in known: [String], limit: Int = 3) -> [String] {
    let lowered = name.lowercased()
    let threshold = max(2, name.count / 3)
    let scored = known.compactMap { candidate -> (String, Int)? in
      let distance = editDistance(lowered, candidate.lowercased())
      let related =
        !lowered.isEmpty && (candidate.lowercased().contains(lowered) || lowered.contains(candidate.lowercased()))
      guard distance <= threshold || related else { return nil }
      return (candidate, related ? min(distance, threshold) : distance)
    }
    guard let best = scored.map(\.1).min() else { return [] }
    return scored.filter { $0.1 == best }.map(\.0).sorted().prefix(limit).map { $0 }
  }

  /// `"; did you mean 'a' or 'b'?"`, or an empty string when nothing is close.
  public static func didYouMean(_ name: String, in known: [String]) -> String? {
    let near = closest(to: name, in: known)
    guard !near.isEmpty else { return nil }
    return "did you mean " + near.map { "'\($0)'" }.joined(separator: " or ") + "?"
  }
}
