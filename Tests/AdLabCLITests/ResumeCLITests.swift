import Foundation
import Testing

/// Runs killed with SIGKILL at several points (a job kept, the bundle half-written) or stopped with Ctrl-C resume
/// from what they kept and write the bundle an uninterrupted run writes, bit for bit; a good bundle is never
/// replaced; `adlab clean` removes what killed runs left. The kills are real SIGKILLs, sent by the process to
/// itself at a chosen point (`ADLAB_TEST_KILL_AT`).
extension CLITests {
  /// tinySpec with 8 jobs and a decision log, so records carry every part of a job's result.
  static let resumableSpec =
    tinySpec.replacingOccurrences(of: "replications: 3", with: "replications: 4") + "\nlog: decisions\n"

  /// A training spec small enough for a test: two models, one of them trained with Adam (DeepFM), four epochs.
  static let trainingSpec = """
    name: tiny-train
    seed: 3
    replications: 1
    horizon: 1000
    batch: 100
    environment: { plugin: contextual, params: { link: logistic, arms: 4, dimension: 4, history: 4, items: 50, clusters: 4 } }
    variants:
      fm: { policy: random, model: { plugin: fm, params: { buckets: 4096, factors: 4 } } }
      deepfm: { policy: random, model: { plugin: deepfm, params: { buckets: 4096 } } }
    training: { examples: 3000, validation: 0.25, epochs: 4, patience: 4, batch: 256 }
    """

  /// Bundle folders (not hidden) under `folder` and every file in them but the manifest (wall clock), by path.
  func bundleFiles(_ folder: String) -> [String: Data] {
    var files: [String: Data] = [:]
    let fm = FileManager.default
    for bundle in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []) where !bundle.hasPrefix(".") {
      let enumerator = fm.enumerator(atPath: "\(folder)/\(bundle)")
      while let relative = enumerator?.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let path = "\(folder)/\(bundle)/\(relative)"
        guard relative != "manifest.json", fm.fileExists(atPath: path, isDirectory: &isDirectory),
          !isDirectory.boolValue
        else { continue }
        files["\(bundle)/\(relative)"] = fm.contents(atPath: path)
      }
    }
    return files
  }

  func hidden(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(".") }.sorted()
  }

  func write(_ text: String, as name: String, in folder: String) throws -> String {
    let path = "\(folder)/\(name)"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func killedRunsResumeToTheBundleAnUninterruptedRunWrites() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let spec = try write(Self.resumableSpec, as: "tiny.yaml", in: folder)
    let reference = try adlab(["run", spec, "--out", "\(folder)/reference", "--jobs", "2"])
    #expect(reference.status == 0, "\(reference.stderr)")
    let expected = bundleFiles("\(folder)/reference/tiny")
    #expect(expected.keys.contains { $0.hasSuffix("/decisions.csv") })
    #expect(hidden("\(folder)/reference/tiny").isEmpty, "a finished run leaves no hidden folder")

    for (point, keptAtLeast) in [("job:1", 1), ("job:5", 5), ("bundle-file:1", 8), ("bundle-file:4", 8)] {
      let out = "\(folder)/\(point.replacingOccurrences(of: ":", with: "-"))"
      let killed = try adlab(["run", spec, "--out", out, "--jobs", "2"], environment: ["ADLAB_TEST_KILL_AT": point])
      #expect(killed.status == SIGKILL, "\(point): \(killed.stderr)")
      #expect(bundleFiles("\(out)/tiny").isEmpty, "\(point): a killed run leaves no bundle")
      let resumeFolders = hidden("\(out)/tiny").filter { $0.hasPrefix(".resume-") }
      #expect(resumeFolders.count == 1, "\(point): \(hidden("\(out)/tiny"))")
      let records = try FileManager.default.contentsOfDirectory(atPath: "\(out)/tiny/\(resumeFolders.first ?? "")")
        .filter { $0.hasSuffix(".rec") }
      #expect(records.count >= keptAtLeast, "\(point): \(records)")

      let resumed = try adlab(["run", spec, "--out", out, "--jobs", "1"], environment: ["ADLAB_TEST_KILL_AT": nil])
      #expect(resumed.status == 0, "\(point): \(resumed.stderr)")
      #expect(
        resumed.stderr.contains("resuming: \(records.count) of 8 jobs already finished"), "\(point): \(resumed.stderr)")
      #expect(bundleFiles("\(out)/tiny") == expected, "\(point): the resumed bundle differs from the uninterrupted one")
      #expect(hidden("\(out)/tiny").isEmpty, "\(point): \(hidden("\(out)/tiny"))")
    }

    // A run killed while writing over a good bundle leaves it as it was, manifest included.
    let manifestPath = try #require(expected.keys.first).split(separator: "/").first.map {
      "\(folder)/reference/tiny/\($0)/manifest.json"
    }
    let manifest = try #require(manifestPath.flatMap { FileManager.default.contents(atPath: $0) })
    let killed = try adlab(
      ["run", spec, "--out", "\(folder)/reference"], environment: ["ADLAB_TEST_KILL_AT": "bundle-file:3"])
    #expect(killed.status == SIGKILL)
    #expect(bundleFiles("\(folder)/reference/tiny") == expected)
    #expect(manifestPath.flatMap { FileManager.default.contents(atPath: $0) } == manifest)
    let again = try adlab(["run", spec, "--out", "\(folder)/reference"], environment: ["ADLAB_TEST_KILL_AT": nil])
    #expect(again.status == 0 && again.stderr.contains("identical to the existing bundle"), "\(again.stderr)")
    #expect(hidden("\(folder)/reference/tiny").isEmpty, "\(hidden("\(folder)/reference/tiny"))")
  }

  @Test func aDamagedRecordIsRunAgain() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let spec = try write(Self.resumableSpec, as: "tiny.yaml", in: folder)
    let reference = try adlab(["run", spec, "--out", "\(folder)/reference"])
    #expect(reference.status == 0, "\(reference.stderr)")
    let killed = try adlab(
      ["run", spec, "--out", "\(folder)/out", "--jobs", "1"], environment: ["ADLAB_TEST_KILL_AT": "job:3"])
    #expect(killed.status == SIGKILL)
    let resumeFolder = try #require(hidden("\(folder)/out/tiny").first)
    // Flip one byte in the middle of job 1's record: its sha256 no longer matches.
    let record = "\(folder)/out/tiny/\(resumeFolder)/job-1.rec"
    var bytes = try #require(FileManager.default.contents(atPath: record))
    bytes[bytes.count / 2] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: record))
    let resumed = try adlab(["run", spec, "--out", "\(folder)/out"], environment: ["ADLAB_TEST_KILL_AT": nil])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(
      resumed.stderr.contains(
        "job-1.rec: damaged resume record: its sha256 does not match its contents; that job runs again"),
      "\(resumed.stderr)")
    #expect(resumed.stderr.contains("resuming: 2 of 8 jobs already finished"), "\(resumed.stderr)")
    #expect(bundleFiles("\(folder)/out/tiny") == bundleFiles("\(folder)/reference/tiny"))
  }

  @Test func ctrlCStopsCleanlyAndSaysHowToResume() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // Long enough that the run is still going when the signal arrives.
    let spec = try write(
      Self.tinySpec.replacingOccurrences(of: "horizon: 2000", with: "horizon: 30000").replacingOccurrences(
        of: "replications: 3", with: "replications: 4"),
      as: "long.yaml", in: folder)
    let process = Process()
    process.executableURL = Self.binary
    process.arguments = ["run", spec, "--out", "\(folder)/out", "--jobs", "1"]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try process.run()
    // Wait for the first kept job, then press Ctrl-C.
    let deadline = Date().addingTimeInterval(60)
    func kept() -> [String] {
      let resume = hidden("\(folder)/out/tiny").first { $0.hasPrefix(".resume-") }
      return resume.map {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(folder)/out/tiny/\($0)")) ?? []).filter {
          $0.hasSuffix(".rec")
        }
      } ?? []
    }
    while kept().isEmpty && Date() < deadline && process.isRunning { usleep(20_000) }
    kill(process.processIdentifier, SIGINT)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(stderr)")
    #expect(stderr.contains("of 8 jobs finished and kept in \(folder)/out/tiny/.resume-"), "\(stderr)")
    #expect(stderr.contains("run the same command again to resume"), "\(stderr)")
    #expect(bundleFiles("\(folder)/out/tiny").isEmpty)
    let keptCount = kept().count
    #expect(keptCount >= 1 && keptCount < 8, "\(keptCount)")

    let resumed = try adlab(["run", spec, "--out", "\(folder)/out", "--format", "json"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stderr.contains("resuming: \(keptCount) of 8 jobs already finished"), "\(resumed.stderr)")
    let bundle = try #require(
      resumed.stdout.split(separator: "\"").drop { $0 != "bundle" }.dropFirst(2).first.map(String.init))
    let verified = try adlab(["verify", bundle])
    #expect(verified.status == 0 && verified.stdout.hasPrefix("identical:"), "\(verified.stdout)")
  }

  @Test func trainingResumesFromItsLastEpoch() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let spec = try write(Self.trainingSpec, as: "train.yaml", in: folder)
    let reference = try adlab(["train", spec, "--out", "\(folder)/reference", "--jobs", "1"])
    #expect(reference.status == 0, "\(reference.stderr)")
    let expected = bundleFiles("\(folder)/reference/tiny-train")
    #expect(expected.keys.contains { $0.hasSuffix("checkpoints/deepfm.ckpt") })

    // With one job the models train in turn: epoch 6 is DeepFM's second, so FM resumes finished and DeepFM resumes
    // its Adam state mid-training.
    for point in ["epoch:2", "epoch:6"] {
      let out = "\(folder)/\(point.replacingOccurrences(of: ":", with: "-"))"
      let killed = try adlab(["train", spec, "--out", out, "--jobs", "1"], environment: ["ADLAB_TEST_KILL_AT": point])
      #expect(killed.status == SIGKILL, "\(point): \(killed.stderr)")
      #expect(bundleFiles("\(out)/tiny-train").isEmpty)
      #expect(hidden("\(out)/tiny-train").contains { $0.hasPrefix(".resume-train-") }, "\(hidden("\(out)/tiny-train"))")
      let resumed = try adlab(["train", spec, "--out", out, "--jobs", "2"], environment: ["ADLAB_TEST_KILL_AT": nil])
      #expect(resumed.status == 0, "\(point): \(resumed.stderr)")
      #expect(bundleFiles("\(out)/tiny-train") == expected, "\(point): the resumed training bundle differs")
      #expect(hidden("\(out)/tiny-train").isEmpty)
    }
  }

  @Test func cleanRemovesWhatKilledRunsLeftAndNothingElse() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let spec = try write(Self.resumableSpec, as: "tiny.yaml", in: folder)
    let out = "\(folder)/out"
    #expect(try adlab(["run", spec, "--out", out]).status == 0)
    let bundles = bundleFiles("\(out)/tiny")
    let other = try write(
      Self.resumableSpec.replacingOccurrences(of: "seed: 5", with: "seed: 6"), as: "other.yaml", in: folder)
    #expect(try adlab(["run", other, "--out", out], environment: ["ADLAB_TEST_KILL_AT": "job:2"]).status == SIGKILL)
    #expect(
      try adlab(["run", other, "--out", out], environment: ["ADLAB_TEST_KILL_AT": "bundle-file:2"]).status == SIGKILL)
    let left = hidden("\(out)/tiny")
    #expect(
      left.count == 2 && left.contains { $0.hasPrefix(".resume-") } && left.contains { $0.hasPrefix(".tmp-") },
      "\(left)")

    let dry = try adlab(["clean", out, "--dry-run"])
    #expect(dry.status == 0 && dry.stdout.contains("would remove \(out)/tiny/.resume-"), "\(dry.stdout)")
    #expect(dry.stdout.contains("would remove \(out)/tiny/.tmp-"), "\(dry.stdout)")
    #expect(hidden("\(out)/tiny").count == 2, "a dry run removes nothing")
    let noted = try adlab(["run", spec, "--out", out], environment: ["ADLAB_TEST_KILL_AT": nil])
    #expect(noted.stderr.contains("note: 2 stale folders of killed runs under \(out)"), "\(noted.stderr)")
    #expect(noted.stderr.contains("`adlab clean \(out)` removes them"), "\(noted.stderr)")
    // Saving a bundle removes the dead writers' temporaries beside it already; the resume folder stays for a resume.
    #expect(hidden("\(out)/tiny").count == 1)
    let clean = try adlab(["clean", out])
    #expect(clean.status == 0 && clean.stdout.contains("removed \(out)/tiny/.resume-"), "\(clean.stdout)")
    #expect(hidden("\(out)/tiny").isEmpty, "\(hidden("\(out)/tiny"))")
    #expect(bundleFiles("\(out)/tiny") == bundles, "clean never touches a bundle")
    #expect(try adlab(["clean", out]).stdout.contains("nothing to clean"))
  }
}

/// `--max-memory` as a user meets it: `validate` points at the key that does not fit, a bad size is bad input.
extension CLITests {
  @Test func maxMemoryRefusesASpecThatCannotFit() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let spec = try write(
      "name: big\nseed: 1\nhorizon: 1000\nenvironment: { plugin: ecommerce, params: { users: 1000000 } }\nvariants:\n  a: { policy: random }\n",
      as: "big.yaml", in: folder)
    let refused = try adlab(["validate", spec, "--max-memory", "64M"])
    #expect(refused.status == 2)
    #expect(
      refused.stderr.contains("big.yaml:4:52: error: environment.params.users: this experiment needs about"),
      "\(refused.stderr)")
    #expect(
      refused.stderr.contains("more than the limit 64.0 MiB (--max-memory 64M; set with --max-memory)"),
      "\(refused.stderr)")
    let run = try adlab(["run", spec, "--max-memory", "64M", "--out", folder])
    #expect(run.status == 2 && !FileManager.default.fileExists(atPath: "\(folder)/big"), "\(run.stderr)")
    #expect(try adlab(["validate", spec, "--max-memory", "1G", "--quiet"]).status == 0)
    let bad = try adlab(["validate", spec, "--max-memory", "lots"])
    #expect(bad.status == 2 && bad.stderr.contains("--max-memory 'lots' is not a size"), "\(bad.stderr)")
  }
}
