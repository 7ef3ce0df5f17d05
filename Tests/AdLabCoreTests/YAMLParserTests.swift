import Foundation
import Testing

@testable import AdLabCore

private func parse(_ text: String, limits: YAMLLimits = .default)
  throws(YAMLError) -> YAMLNode?
{
  try YAMLParser.parse(text, file: "spec.yaml", limits: limits)
}

/// Parses `text`, expecting a `YAMLError`, and returns it (or `nil` when nothing was thrown).
private func error(_ text: String, limits: YAMLLimits = .default) -> YAMLError? {
  do {
    _ = try parse(text, limits: limits)
    return nil
  } catch {
    return error
  }
}

private func mark(_ line: Int, _ column: Int) -> SourceMark {
  SourceMark(line: line, column: column)
}

struct YAMLParserTests {
  // MARK: - Scalars

  @Test(arguments: [
    ("~", ResolvedScalar.null), ("null", .null), ("Null", .null),
    ("NULL", .null), ("", .null),
    ("true", .bool(true)), ("True", .bool(true)), ("TRUE", .bool(true)),
    ("false", .bool(false)),
    ("FALSE", .bool(false)), ("42", .int(42)), ("-17", .int(-17)),
    ("+5", .int(5)), ("007", .int(7)),
    ("0o17", .int(15)), ("0x1F", .int(31)), ("0xff", .int(255)),
    ("1e3", .double(1000)),
    ("1.5", .double(1.5)), ("-2.5E-1", .double(-0.25)), (".5", .double(0.5)),
    ("+.5", .double(0.5)),
    ("1.", .double(1)), (".inf", .double(.infinity)),
    ("-.inf", .double(-.infinity)),
    ("+.INF", .double(.infinity)), ("99999999999999999999", .double(1e20)),
    ("\"1\"", .string("1")), ("'true'", .string("true")), ("\"\"", .string("")),
    ("hello", .string("hello")),
    ("yes", .string("yes")), ("1_000", .string("1_000")), ("0x", .string("0x")),
    ("0o8", .string("0o8")),
    ("1e", .string("1e")), (".", .string(".")), ("-x", .string("-x")),
    ("1.2.3", .string("1.2.3")),
    ("0x1FFFFFFFFFFFFFFFF", .string("0x1FFFFFFFFFFFFFFFF")),
    ("!!str 12", .string("12")), ("!!int \"12\"", .int(12)),
    ("!!float 3", .double(3)),
    ("!!bool 'false'", .bool(false)), ("!!null ''", .null),
    ("!!int abc", .string("abc")),
    ("! 12", .string("12")), ("!custom 12", .string("12")),
  ])
  func scalarResolution(source: String, expected: ResolvedScalar) throws {
    let value = try #require(try parse("v: \(source)\n")?.mapping?["v"]?.scalar)
    #expect(value.resolved == expected, "\(source)")
  }

  @Test func scalarDetails() throws {
    let map = try #require(
      try parse("a: 1\nb: \"1\"\nc: !!int 1\nd: .nan\ne: |\n  x\n  y\n")?
        .mapping)
    let a = try #require(map["a"]?.scalar)
    #expect(
      a == YAMLScalar(text: "1", isPlain: true, tag: nil, mark: mark(1, 4)))
    #expect(map["b"]?.scalar?.isPlain == false)
    #expect(map["c"]?.scalar?.tag == "tag:yaml.org,2002:int")
    #expect(map["c"]?.scalar?.isPlain == false)
    guard case .double(let nan) = map["d"]?.scalar?.resolved else {
      Issue.record("'.nan' is not a double")
      return
    }
    #expect(nan.isNaN)
    #expect(map["e"]?.scalar?.resolved == .string("x\ny\n"))
    #expect(map["a"]?.kindName == "an integer")
    #expect(map["b"]?.kindName == "a string")
    #expect(map["d"]?.kindName == "a number")
  }

  @Test func topLevelScalar() throws {
    #expect(
      try parse("hello\n")
        == .scalar(YAMLScalar(text: "hello", mark: mark(1, 1))))
  }

  // MARK: - Structure and marks

  @Test func nestedBlockCollectionsWithMarks() throws {
    let text = """
      name: ts-vs-ucb
      seed: 7
      variants:
        ucb:
          policy: { plugin: ucb1 }
        arms:
          - 1
          -   two
          - - nested
      """
    let root = try #require(try parse(text)?.mapping)
    #expect(root.mark == mark(1, 1))
    #expect(root.keys == ["name", "seed", "variants"])
    #expect(root.entries[1].key.mark == mark(2, 1))
    #expect(root["seed"]?.mark == mark(2, 7))
    let variants = try #require(root["variants"]?.mapping)
    #expect(variants.mark == mark(4, 3))
    #expect(variants.entries[0].key.mark == mark(4, 3))
    let policy = try #require(variants["ucb"]?.mapping?["policy"]?.mapping)
    #expect(policy.mark == mark(5, 13))
    #expect(policy["plugin"]?.mark == mark(5, 23))
    let arms = try #require(variants["arms"]?.sequence)
    #expect(arms.mark == mark(7, 5))
    #expect(arms.items.map(\.mark) == [mark(7, 7), mark(8, 9), mark(9, 7)])
    #expect(arms.items[1].scalar?.text == "two")
    #expect(arms.items[2].sequence?.items.first?.mark == mark(9, 9))
    #expect(root["variants"]?.kindName == "a mapping")
    #expect(variants["arms"]?.kindName == "a list")
    #expect(root["missing"] == nil)
  }

  @Test func flowStyle() throws {
    let root = try #require(try parse("{a: 1, b: [1, 2], c: {}}")?.mapping)
    #expect(root.mark == mark(1, 1))
    #expect(root["a"]?.scalar?.resolved == .int(1))
    let b = try #require(root["b"]?.sequence)
    #expect(b.mark == mark(1, 11))
    #expect(b.items.map { $0.scalar?.resolved } == [.int(1), .int(2)])
    #expect(b.items.map(\.mark) == [mark(1, 12), mark(1, 15)])
    #expect(root["c"]?.mapping?.entries.isEmpty == true)
  }

  @Test func jsonText() throws {
    let compact =
      #"{"a":1,"b":[true,null,-1.5e3,"x\/y\u00e9\n"],"c":{"d":{}},"e":[]}"#
    let root = try #require(try parse(compact)?.mapping)
    #expect(root.keys == ["a", "b", "c", "e"])
    #expect(root["a"]?.scalar?.resolved == .int(1))
    #expect(
      root["b"]?.sequence?.items.map { $0.scalar?.resolved }
        == [.bool(true), .null, .double(-1500), .string("x/yé\n")])
    #expect(root["b"]?.sequence?.items[3].scalar?.isPlain == false)
    #expect(root["e"]?.sequence?.items.isEmpty == true)

    let pretty =
      "{\n\t\"name\": \"x\",\n\t\"weights\": [\n\t\t0.5,\n\t\t2\n\t],\n\t\"seed\": \"7\"\n}\n"
    let map = try #require(try parse(pretty)?.mapping)
    #expect(
      map["weights"]?.sequence?.items.map { $0.scalar?.resolved } == [
        .double(0.5), .int(2),
      ])
    #expect(map["seed"]?.scalar?.resolved == .string("7"))
    #expect(map.entries[1].key.mark == mark(3, 2))
  }

  @Test func utf8ColumnsCountCharacters() throws {
    let root = try #require(try parse("näme: ö\nκλειδί: [α, β]\n")?.mapping)
    #expect(root["näme"]?.mark == mark(1, 7))
    #expect(
      root["κλειδί"]?.sequence?.items.map(\.mark) == [mark(2, 10), mark(2, 13)])
    let failure = error("ключ: 1\n ü: 2\n")
    #expect(
      failure
        == .syntax(
          file: "spec.yaml", mark: mark(2, 3),
          message: "mapping values are not allowed in this context\n ü: 2\n  ^")
    )
  }

  // MARK: - Anchors, aliases and merge keys

  @Test func anchorsAndAliases() throws {
    let text =
      "base: &b {x: 1, y: [2]}\ncopy: *b\nname: &n hello\nagain: *n\nlist: [*n, *b]\n"
    let root = try #require(try parse(text)?.mapping)
    #expect(root["copy"] == root["base"])
    #expect(root["again"]?.scalar?.text == "hello")
    #expect(
      root["list"]?.sequence?.items
        == [root["name"], root["base"]].compactMap { $0 })
    #expect(
      error("a: *nope\n")
        == .unknownAlias(file: "spec.yaml", name: "nope", mark: mark(1, 4)))
    #expect(
      error("a: &x [*x]\n")
        == .unknownAlias(file: "spec.yaml", name: "x", mark: mark(1, 8)))
  }

  @Test func mergeKeys() throws {
    let text = """
      defaults: &d { alpha: 0.05, mode: paired }
      extra: &e { mode: split, horizon: 10 }
      one:
        mode: explicit
        <<: *d
        seed: 1
      two:
        <<: [*e, *d]
      three:
        <<: { inline: true }
      """
    let root = try #require(try parse(text)?.mapping)
    let one = try #require(root["one"]?.mapping)
    #expect(one.keys == ["mode", "alpha", "seed"])
    #expect(one["mode"]?.scalar?.text == "explicit")
    #expect(one["alpha"]?.mark == mark(1, 23))  // keeps the mark of its source
    let two = try #require(root["two"]?.mapping)
    #expect(two.keys == ["mode", "horizon", "alpha"])
    #expect(two["mode"]?.scalar?.text == "split")  // earlier source wins
    #expect(root["three"]?.mapping?["inline"]?.scalar?.resolved == .bool(true))
    // A quoted "<<" is an ordinary key.
    #expect(try parse("\"<<\": 1\n")?.mapping?.keys == ["<<"])
  }

  @Test func badMergeValue() {
    #expect(
      error("a: 1\nb:\n  <<: 3\n")
        == .syntax(
          file: "spec.yaml", mark: mark(3, 7),
          message:
            "merge key '<<' takes a mapping or a list of mappings, not an integer"
        ))
    #expect(
      error("a: &a {x: 1}\nb: {<<: [*a, [y]]}\n")
        == .syntax(
          file: "spec.yaml", mark: mark(2, 14),
          message:
            "merge key '<<' takes a mapping or a list of mappings, not a list"))
  }

  // MARK: - Errors

  @Test func duplicateKey() {
    let failure = error("seed: 1\nname: x\nfoo: {seed: 2}\nseed: 3\n")
    #expect(
      failure
        == .duplicateKey(
          file: "spec.yaml", key: "seed", mark: mark(4, 1),
          firstMark: mark(1, 1)))
    #expect(
      error("a: 1\n'a': 2\n")
        == .duplicateKey(
          file: "spec.yaml", key: "a", mark: mark(2, 1), firstMark: mark(1, 1)))
    #expect(
      YAMLError.duplicateKey(
        file: "spec.yaml", key: "seed", mark: mark(3, 7), firstMark: mark(1, 1)
      ).description
        == "spec.yaml:3:7: error: duplicate key 'seed' (first defined at 1:1)")
  }

  @Test func syntaxErrorShowsLineAndCaret() throws {
    let failure = try #require(error("a: 1\n b: 2\n"))
    #expect(
      failure
        == .syntax(
          file: "spec.yaml", mark: mark(2, 3),
          message: "mapping values are not allowed in this context\n b: 2\n  ^")
    )
    #expect(
      failure.description == """
        spec.yaml:2:3: error: mapping values are not allowed in this context
         b: 2
          ^
        """)
  }

  @Test func syntaxErrorCarriesLibYAMLContext() throws {
    let failure = try #require(error("a: \"abc\n"))
    #expect(
      failure.description
        == "spec.yaml:2:1: error: found unexpected end of stream (while scanning a quoted scalar at 1:4)"
    )
    let flow = try #require(error("x: [1, 2\ny: 3\n"))
    guard case .syntax(_, let at, let message) = flow else {
      Issue.record("expected a syntax error, got \(flow)")
      return
    }
    #expect(at.line == 2)
    #expect(message.contains("while parsing a flow sequence at 1:4"))
  }

  @Test func controlCharacterIsReportedAtItsPosition() {
    #expect(
      error("a: é\u{1}\n")
        == .syntax(
          file: "spec.yaml", mark: mark(1, 5),
          message: "control characters are not allowed (#x1)\na: é\u{1}\n    ^")
    )
  }

  @Test func nonScalarKeys() {
    #expect(
      error("? [a]\n: 1\n")
        == .nonScalarKey(file: "spec.yaml", mark: mark(1, 3)))
    #expect(
      error("{{a: 1}: 2}") == .nonScalarKey(file: "spec.yaml", mark: mark(1, 2))
    )
    #expect(
      error("b: &m {x: 1}\n*m : 2\n")
        == .nonScalarKey(file: "spec.yaml", mark: mark(2, 1)))
  }

  @Test func emptyDocumentIsNil() throws {
    for text in ["", "   \n", "# only a comment\n", "---\n", "--- # x\n...\n"] {
      #expect(try parse(text) == nil, "\(text.debugDescription)")
    }
    #expect(try parse("~\n")?.scalar?.resolved == .null)
    #expect(try parse("\"\"\n")?.scalar?.resolved == .string(""))
  }

  @Test func multipleDocumentsAreRefused() throws {
    #expect(
      error("a: 1\n---\nb: 2\n")
        == .multipleDocuments(file: "spec.yaml", mark: mark(2, 1)))
    #expect(
      error("a: 1\n...\n---\n")
        == .multipleDocuments(file: "spec.yaml", mark: mark(3, 1)))
    #expect(try parse("--- \na: 1\n...\n")?.mapping?.keys == ["a"])
  }

  // MARK: - Limits

  @Test func aliasBombIsRefusedFast() throws {
    var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in 1...9 {
      let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(
        separator: ", ")
      text += "a\(level): &a\(level) [\(refs)]\n"
    }
    let clock = ContinuousClock()
    var failure: YAMLError?
    let elapsed = clock.measure { failure = error(text) }
    guard case .limitExceeded(_, let at, let limit) = failure else {
      Issue.record("expected limitExceeded, got \(String(describing: failure))")
      return
    }
    #expect(limit == "more than 1000000 nodes (alias expansion)")
    // a5 (1 111 111 nodes) is the first level past a million.
    #expect(at.line == 6)
    #expect(elapsed < .milliseconds(500))
  }

  @Test func aliasCountLimit() throws {
    let text = "a: &a x\nb: [*a, *a, *a]\n"
    #expect(try parse(text, limits: YAMLLimits(maxAliasExpansions: 3)) != nil)
    #expect(
      error(text, limits: YAMLLimits(maxAliasExpansions: 2))
        == .limitExceeded(
          file: "spec.yaml", mark: mark(2, 13), limit: "more than 2 aliases"))
  }

  @Test func deepNestingIsRefused() throws {
    let flow =
      String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
    #expect(
      error(flow)
        == .limitExceeded(
          file: "spec.yaml", mark: mark(1, 65),
          limit: "more than 64 levels of nesting"))
    #expect(
      try parse(
        String(repeating: "[", count: 64) + String(repeating: "]", count: 64))
        != nil)
    let block =
      (0..<5).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(
        separator: "\n") + " 1\n"
    #expect(try parse(block, limits: YAMLLimits(maxDepth: 5)) != nil)
    guard case .limitExceeded = error(block, limits: YAMLLimits(maxDepth: 4))
    else {
      Issue.record("5 nested mappings must exceed a depth of 4")
      return
    }
    // An alias adds the depth of what it stands for.
    let viaAlias = "a: &a [[[x]]]\nb: [[*a]]\n"
    #expect(try parse(viaAlias, limits: YAMLLimits(maxDepth: 6)) != nil)
    #expect(
      error(viaAlias, limits: YAMLLimits(maxDepth: 5))
        == .limitExceeded(
          file: "spec.yaml", mark: mark(2, 6),
          limit: "more than 5 levels of nesting (alias expansion)"))
  }

  @Test func nodeAndSizeLimits() throws {
    #expect(
      error("[1, 2, 3]", limits: YAMLLimits(maxNodes: 3))
        == .limitExceeded(
          file: "spec.yaml", mark: mark(1, 8), limit: "more than 3 nodes"))
    #expect(
      error("a: 12345\n", limits: YAMLLimits(maxBytes: 8))
        == .limitExceeded(
          file: "spec.yaml", mark: mark(1, 1), limit: "more than 8 bytes"))
  }

  // MARK: - Files

  @Test func fileNotFound() {
    #expect(
      throws: YAMLError.unreadableFile(
        path: "/nonexistent/spec.yaml", reason: "No such file or directory")
    ) {
      try YAMLParser.parseFile(at: "/nonexistent/spec.yaml")
    }
    #expect(
      YAMLError.unreadableFile(path: "x.yaml", reason: "Permission denied")
        .description
        == "x.yaml: error: cannot read file: Permission denied")
  }

  @Test func parseFileReadsAndLimits() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "adlab-yaml-\(getpid()).yaml")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data("\u{FEFF}seed: 7\nname: [1\n".utf8).write(to: url)
    #expect(throws: YAMLError.self) { try YAMLParser.parseFile(at: url.path) }
    do {
      _ = try YAMLParser.parseFile(at: url.path)
    } catch {
      guard case .syntax(let file, let at, _) = error else {
        Issue.record("expected a syntax error, got \(error)")
        return
      }
      #expect(file == url.path)
      #expect(at.line == 3)
    }
    try Data("seed: 7\n".utf8).write(to: url)
    #expect(
      try YAMLParser.parseFile(at: url.path)?.mapping?["seed"]?.scalar?.resolved
        == .int(7))
    #expect(
      throws: YAMLError.limitExceeded(
        file: url.path, mark: mark(1, 1), limit: "more than 4 bytes")
    ) {
      try YAMLParser.parseFile(at: url.path, limits: YAMLLimits(maxBytes: 4))
    }
    #expect(throws: YAMLError.self) {
      try YAMLParser.parseFile(at: FileManager.default.temporaryDirectory.path)
    }
  }

  // MARK: - Snippets and messages

  @Test func snippets() {
    #expect(
      sourceSnippet(text: "a\n\tb: [x\n", mark: mark(2, 3)) == "\tb: [x\n\t ^")
    #expect(sourceSnippet(text: "a\r\nbc\r\n", mark: mark(2, 2)) == "bc\n ^")
    #expect(sourceSnippet(text: "a\rbc", mark: mark(2, 1)) == "bc\n^")
    #expect(sourceSnippet(text: "\u{FEFF}ab", mark: mark(1, 2)) == "ab\n ^")
    #expect(
      sourceSnippet(text: "e\u{301}x", mark: mark(1, 3)) == "e\u{301}x\n ^")
    #expect(sourceSnippet(text: "a\n", mark: mark(2, 1)) == "")
    #expect(sourceSnippet(text: "a\n", mark: mark(7, 1)) == "")
  }

  @Test func descriptions() {
    #expect(
      YAMLError.nonScalarKey(file: "f", mark: mark(1, 2)).description
        == "f:1:2: error: mapping keys must be scalars, not mappings or lists")
    #expect(
      YAMLError.unknownAlias(file: "f", name: "x", mark: mark(3, 4)).description
        == "f:3:4: error: unknown alias '*x' (an anchor '&x' must come before it)"
    )
    #expect(
      YAMLError.limitExceeded(
        file: "f", mark: mark(1, 1), limit: "more than 3 nodes"
      ).description
        == "f:1:1: error: limit exceeded: more than 3 nodes")
    #expect(
      YAMLError.multipleDocuments(file: "f", mark: mark(2, 1)).description
        == "f:2:1: error: a second YAML document starts here; a file may hold only one"
    )
    #expect(mark(2, 1) < mark(2, 3) && mark(1, 9) < mark(2, 1))
  }
}
