import AdLabCore
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab export`: writes results in other tools' formats.
  struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Export a bundle or sweep to another tool.", subcommands: [MLflow.self])

    /// `adlab export mlflow BUNDLE|SWEEP --to DIR`.
    struct MLflow: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "mlflow",
        abstract: "Write a bundle or sweep as MLflow runs in MLflow's file-store layout.",
        discussion: """
          A bundle becomes a parent run (summary metrics, bundle files as artifacts) with a child run per variant × \
          replication (per-window metrics with steps); a sweep becomes a parent run with a child run per cell. \
          Browse with: MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri DIR
          """)

      @Argument(help: "A bundle folder or a sweep folder.")
      var path: String

      @Option(name: .long, help: "The MLflow file store (e.g. mlruns); created if missing.")
      var to: String

      func run() async throws {
        do {
          let outcome = try MLflowExport.export(path, to: to)
          print(
            "exported \(outcome.runs) runs to \(to) (experiment \(outcome.experimentID), parent run \(outcome.parentRunID))"
          )
          print("browse: MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri \(to)")
        } catch let error as ExportError {
          throw ValidationError(error.description)
        }
      }
    }
  }
}
