import Foundation

/// `adlab data fetch obd`: downloads obp's source distribution from PyPI with pip (the Open Bandit Dataset sample
/// ships inside it), checks its sha256, and extracts only the dataset's CSV files (plus the production Bernoulli
/// TS priors and the package's LICENSE) into `DatasetCache.openBanditFolder`, with a `MANIFEST.sha256` of every
/// file. Idempotent: a complete folder whose files match the manifest is left as it is.
public enum OpenBanditFetcher {
  public static let version = "0.5.7"
  /// sha256 of obp-0.5.7.tar.gz as published on PyPI (computed once on 2026-11-29 and pinned here).
  public static let archiveSHA256 = "3060d67fedfcfadf1e7a6f2608987f74412b5eb74d2c567edeb147595c68f2a0"
  static let manifestName = "MANIFEST.sha256"

  public enum Outcome: Equatable, Sendable {
    case fetched(String)
    case alreadyPresent(String)
  }

  /// Fetches into `folder` (default: the cache) unless it is already complete.
  /// - Throws: `LoggedDataError.other` saying what failed: python3 or pip missing, the download, the checksum, or tar.
  public static func fetch(into folder: String = DatasetCache.openBanditFolder) throws -> Outcome {
    if verify(folder: folder) { return .alreadyPresent(folder) }
    let fm = FileManager.default
    let scratch = try PipDownload.scratchFolder(prefix: "adlab-obd")
    defer { try? fm.removeItem(atPath: scratch) }
    let archive: String
    do {
      archive = try PipDownload.fetch(
        requirement: "obp==\(version)", extraArguments: ["--no-binary", ":all:", "--ignore-requires-python"],
        file: "obp-\(version).tar.gz", sha256: archiveSHA256, into: scratch + "/download")
    } catch {
      throw LoggedDataError.other(error.description)
    }
    let root = "obp-\(version)"
    let extract = try PipDownload.run(
      "/usr/bin/env",
      [
        "tar", "-xzf", archive, "-C", scratch, "\(root)/obp/dataset/obd", "\(root)/obp/policy/conf/prior_bts.yaml",
        "\(root)/LICENSE",
      ])
    guard extract.status == 0 else {
      throw LoggedDataError.other("tar could not extract \(archive): \(extract.output.suffix(400))")
    }

    // Stage the files beside the target, then rename into place, so a half-written folder is never seen.
    let staging = folder + ".partial-\(getpid())"
    try? fm.removeItem(atPath: staging)
    var files: [String] = []
    for behavior in OpenBanditDataset.behaviors {
      for campaign in OpenBanditDataset.campaigns {
        let paths = OpenBanditDataset.files(behavior: behavior, campaign: campaign)
        files += [paths.rounds, paths.items]
      }
    }
    var copies = files.map { ("\(scratch)/\(root)/obp/dataset/obd/\($0)", $0) }
    copies += [
      ("\(scratch)/\(root)/obp/policy/conf/prior_bts.yaml", "prior_bts.yaml"),
      ("\(scratch)/\(root)/LICENSE", "LICENSE-obp"),
    ]
    for (from, to) in copies {
      let target = "\(staging)/\(to)"
      try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      guard fm.fileExists(atPath: from) else {
        throw LoggedDataError.other("the obp archive lacks \(from.dropFirst(scratch.count + 1))")
      }
      try fm.copyItem(atPath: from, toPath: target)
    }
    let manifest = try ChecksumManifest.make(folder: staging, files: copies.map(\.1))
    try Data(manifest.utf8).write(to: URL(fileURLWithPath: "\(staging)/\(manifestName)"))
    try Data(source.utf8).write(to: URL(fileURLWithPath: "\(staging)/SOURCE.md"))
    try fm.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try? fm.removeItem(atPath: folder)
    try fm.moveItem(atPath: staging, toPath: folder)
    return .fetched(folder)
  }

  /// True when `folder` has a manifest and every file it lists matches its sha256.
  public static func verify(folder: String) -> Bool { ChecksumManifest.verify(folder: folder, name: manifestName) }

  static let source = """
    # Open Bandit Dataset (small sample), as shipped in obp \(version)

    Source: https://pypi.org/project/obp/\(version)/ (sdist obp-\(version).tar.gz, sha256 \(archiveSHA256)),
    files obp/dataset/obd/** and obp/policy/conf/prior_bts.yaml.

    Cite: Yuta Saito, Shunsuke Aihara, Megumi Matsutani, Yusuke Narita. "Open Bandit Dataset and Pipeline:
    Towards Realistic and Reproducible Off-Policy Evaluation". NeurIPS Datasets and Benchmarks 2021.
    https://arxiv.org/abs/2008.07146

    Terms: the obp package (and these files inside it) is distributed under the Apache License 2.0 (LICENSE-obp).
    The dataset's own page (github.com/st-tech/zr-obp/tree/master/obd, not part of the sdist) asks users to cite
    the paper; a separate dataset license (such as CC BY 4.0) would be stated there, and AdLab has not confirmed
    one. The full dataset is at https://research.zozo.com/data.html under ZOZO's terms.

    """
}
