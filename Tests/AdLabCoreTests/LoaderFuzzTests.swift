import AdLabBuiltins
import AdLabTensor
import Foundation
import Testing

@testable import AdLabCore

/// A seeded mutation fuzzer over what reads user input: the YAML → spec loader (every example spec as a seed), the
/// `--set` grammar, the logged-data CSV reader, and the resume records and checkpoints a killed run leaves. Each
/// mutant must load or throw a typed error with a message; a trap would kill the test process. The draws come
/// from a named stream, so a failure replays exactly; `ADLAB_FUZZ_ITERATIONS` runs longer (CI: a minute each).
struct LoaderFuzzTests {
  static let iterations = Int(ProcessInfo.processInfo.environment["ADLAB_FUZZ_ITERATIONS"] ?? "") ?? 300
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Fragments that tend to reach rare paths: YAML syntax, anchors and tags, extreme and malformed numbers.
  static let dictionary = [
    ":", "{", "}", "[", "]", ",", "- ", "\n", "  ", "&a ", "*a", "!!str ", "!!int ", "<<: *a", "|", ">", "#", "\"", "'",
    "\t", "~", "null", "-1", "0", "1e400", "-1e400", "nan", ".inf", "9999999999999999999999", "0x7f", "1_000",
    "range(1, 10, 3)", "choice(a, b)", "loguniform(0, 1)", "1,2,3", "é", "\u{0}", "\u{FEFF}",
  ]

  /// One mutation of `bytes`: flip a bit, delete, duplicate or truncate a span, or insert a dictionary fragment.
  static func mutate(_ bytes: [UInt8], _ stream: inout RandomStream) -> [UInt8] {
    var out = bytes
    let edits = 1 + stream.int(below: 3)
    for _ in 0..<edits {
      let at = out.isEmpty ? 0 : stream.int(below: out.count)
      let span = min(out.count - at, 1 + stream.int(below: 16))
      switch stream.int(below: 5) {
      case 0 where !out.isEmpty: out[at] ^= UInt8(1) << UInt8(stream.int(below: 8))
      case 1 where span > 0: out.removeSubrange(at..<(at + span))
      case 2 where span > 0: out.insert(contentsOf: out[at..<(at + span)], at: at)
      case 3: out = Array(out.prefix(at))
      default: out.insert(contentsOf: Array(dictionary[stream.int(below: dictionary.count)].utf8), at: at)
      }
    }
    return out
  }

  static func stream(_ target: String) -> RandomStream {
    RandomStream(key: StreamKey(seed: 15).child("fuzz").child(target))
  }

  @Test func specLoaderThrowsTypedErrorsOnMutatedSpecs() throws {
    let folder = Self.repository.appendingPathComponent("experiments").path
    let seeds = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
      .compactMap { FileManager.default.contents(atPath: "\(folder)/\($0)").map(Array.init) }
    #expect(seeds.count >= 5)
    var stream = Self.stream("spec")
    var loaded = 0, refused = 0
    for _ in 0..<Self.iterations {
      let text = String(decoding: Self.mutate(seeds[stream.int(below: seeds.count)], &stream), as: UTF8.self)
      do {
        _ = try MemoryLimit.$current.withValue(MemoryLimit(bytes: 1 << 32, source: "fuzz")) {
          try SpecLoader.load(text: text, file: "fuzz.yaml", registry: .builtin, allowSweeps: true)
        }
        loaded += 1
      } catch let error as SpecError {
        #expect(!error.description.isEmpty)
        refused += 1
      } catch let error as YAMLError {
        #expect(!error.description.isEmpty)
        refused += 1
      }
    }
    // Both outcomes occur, so the mutants are neither all fatal nor all harmless.
    #expect(loaded > 0 && refused > 0, "loaded \(loaded), refused \(refused)")
  }

  @Test func overrideGrammarThrowsTypedErrorsOnMutatedArguments() throws {
    let seeds = [
      "horizon=20000", "variants.ucb.policy.params.c=0.5,1,2", "seed=range(1, 10, 3)",
      "variants.eg.policy.params.epsilon=loguniform(0.01, 0.5)", "environment.params.arms=choice(2, 4)",
    ].map { Array($0.utf8) }
    var stream = Self.stream("override")
    for _ in 0..<Self.iterations {
      let argument = String(decoding: Self.mutate(seeds[stream.int(below: seeds.count)], &stream), as: UTF8.self)
      do {
        _ = try Override(parsing: argument)
      } catch {
        #expect(!error.description.isEmpty)
      }
    }
  }

  @Test func loggedCSVReaderThrowsTypedErrorsOnMutatedFiles() throws {
    let seed = Array(
      """
      variant,replication,step,user,slot,action,candidate_id,propensity,reward,click,context_0,category_gender,expected_reward_0,expected_reward_1
      random,0,0,17,0,1,5,0.5,1,1,0.25,f,0.1,0.3
      random,0,1,18,0,0,4,0.5,0,0,-1.5,m,0.2,0.1
      random,0,2,19,1,1,5,0.5,0,0,3e-2,"x,y",0.05,0.4

      """.utf8)
    let folder = NSTemporaryDirectory() + "adlab-fuzz-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var stream = Self.stream("csv")
    var read = 0
    for i in 0..<Self.iterations {
      let path = "\(folder)/\(i).csv"
      try Data(Self.mutate(seed, &stream)).write(to: URL(fileURLWithPath: path))
      do {
        _ = try LoggedBanditCSV.read(path: path, name: "fuzz", cache: nil)
        read += 1
      } catch let error as LoggedDataError {
        #expect(!error.description.isEmpty)
      }
      try? FileManager.default.removeItem(atPath: path)
    }
    #expect(read > 0)
  }

  @Test func resumeRecordsAndCheckpointsRejectMutatedBytes() throws {
    var totals = MetricTotals()
    totals.clicks = 3
    var log = DecisionLog(header: "a,b\n")
    log.text = "1,2\n"
    let record = Array(
      JobRecord.encode(JobResult(totals: totals, windows: [totals, totals], decisionLog: log), index: 4))
    var checkpoint = Checkpoint()
    checkpoint.set("w", Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
    let checkpointBytes = checkpoint.encoded()
    var stream = Self.stream("records")
    for _ in 0..<Self.iterations {
      let mutant = Self.mutate(record, &stream)
      if mutant != record {
        #expect(throws: ResumeError.self) { try JobRecord.decode(Data(mutant), index: 4) }
      }
      let checkpointMutant = Self.mutate(checkpointBytes, &stream)
      if checkpointMutant != checkpointBytes {
        #expect(throws: CheckpointError.self) { try Checkpoint(decoding: checkpointMutant) }
      }
    }
    #expect(try JobRecord.decode(Data(record), index: 4).windows.count == 2)
    #expect(throws: ResumeError.self) { try JobRecord.decode(Data(record), index: 5) }
  }
}
