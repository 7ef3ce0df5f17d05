import AdLabCore
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab data`: public datasets AdLab can replay, fetched into a cache outside the repository.
  struct DataGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "data", abstract: "Fetch public logged datasets into the cache.", subcommands: [DataFetch.self])
  }

  /// `adlab data fetch obd`: the Open Bandit Dataset sample (obp 0.5.7's sdist, via pip).
  struct DataFetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "fetch",
      abstract: "Download a dataset into the cache ($ADLAB_CACHE, else $XDG_CACHE_HOME/adlab, else ~/.cache/adlab).",
      discussion: """
        obd: the Open Bandit Dataset sample (Saito et al., NeurIPS Datasets and Benchmarks 2021), 10,000 rounds per \
        (random | bts) × (all | men | women), taken from obp \(OpenBanditFetcher.version)'s source distribution on \
        PyPI (downloaded with `python3 -m pip download`, sha256-checked). Idempotent.
        """)

    @Argument(help: "The dataset: obd.")
    var dataset: String

    func validate() throws {
      guard dataset == "obd" else { throw ValidationError("unknown dataset '\(dataset)'; known datasets: obd") }
    }

    func run() async throws {
      switch try OpenBanditFetcher.fetch() {
      case .fetched(let folder): print("fetched the Open Bandit Dataset into \(folder)")
      case .alreadyPresent(let folder): print("the Open Bandit Dataset is already in \(folder) (checksums match)")
      }
    }
  }
}
