import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// The MLflow export read back by MLflow's own Python client.
struct MLflowExportTests {
  /// A Python that can `import mlflow`: $ADLAB_MLFLOW_PYTHON, else the venv CI makes at /opt/adlab-mlflow.
  static let python: String? = {
    let candidates = [ProcessInfo.processInfo.environment["ADLAB_MLFLOW_PYTHON"], "/opt/adlab-mlflow/bin/python"]
      .compactMap { $0 }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  static let script = """
    import json, sys
    from mlflow.tracking import MlflowClient
    client = MlflowClient(tracking_uri="file://" + sys.argv[1])
    out = []
    for experiment in client.search_experiments():
        for run in client.search_runs([experiment.experiment_id], max_results=10000):
            history = {key: [[m.step, m.value] for m in client.get_metric_history(run.info.run_id, key)] for key in run.data.metrics}
            out.append({"experiment": experiment.name, "name": run.info.run_name, "parent": run.data.tags.get("mlflow.parentRunId"),
                        "params": run.data.params, "history": history, "status": run.info.status,
                        "artifacts": sorted(a.path for a in client.list_artifacts(run.info.run_id))})
    print(json.dumps(out))
    """

  @Test(
    .enabled(
      if: python != nil,
      "mlflow is not installed: set ADLAB_MLFLOW_PYTHON or create /opt/adlab-mlflow (python3 -m venv /opt/adlab-mlflow && /opt/adlab-mlflow/bin/pip install mlflow)"
    ))
  func exportReadsBackWithMLflowsClient() async throws {
    let root = try temporaryFolder("mlflow")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let bundle = try await DiffTests.bundle([], root: root)
    let sweep = "\(root)/sweep"
    _ = try await SweepRunTests.runner().run(try SweepRunTests.plan(), folder: sweep)
    let store = "\(root)/mlruns"
    #expect(try MLflowExport.export(bundle, to: store).runs == 1 + 2 * 8)
    #expect(try MLflowExport.export(sweep, to: store).runs == 1 + 8)
    try Self.script.write(toFile: "\(root)/read.py", atomically: true, encoding: .utf8)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.python ?? "python3")
    process.arguments = ["\(root)/read.py", store]
    var environment = ProcessInfo.processInfo.environment
    environment["MLFLOW_ALLOW_FILE_STORE"] = "true"
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let log = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(String(decoding: log, as: UTF8.self).suffix(3000))")
    let runs = try #require(JSONValue.parse(String(decoding: data, as: UTF8.self), file: "mlflow.json")?.array)
    #expect(runs.count == 17 + 9)

    let bundleRuns = runs.filter { $0["experiment"]?.string == "diff-test" }
    let parent = try #require(bundleRuns.first { $0["parent"] == .null })
    #expect(parent["artifacts"]?.array?.compactMap(\.string).contains("report.html") == true)
    let summary = try StoredSummary(bundle: bundle)
    let ctr = try #require(summary.variants[1].statistic("ctr"))
    #expect(parent["history"]?["eg.ctr"]?.array?.first?.array?.last?.double == ctr.mean)
    let child = try #require(bundleRuns.first { $0["name"]?.string == "eg r3" })
    #expect(child["params"]?["policy.params.epsilon"]?.string == "0.05")
    let cumulative = try #require(child["history"]?["cumulative_reward"]?.array)
    #expect(cumulative.count == 30)
    #expect(cumulative.last?.array?.first?.int == 3000)
    #expect(child["status"]?.string == "FINISHED")

    let cells = runs.filter { $0["experiment"]?.string == "sweep-test" && $0["parent"] != .null }
    #expect(cells.count == 8)
    #expect(
      cells.allSatisfy {
        $0["params"]?["variants.ucb.policy.params.c"] != nil && $0["history"]?["ucb/cumulative_reward"] != nil
      })
  }
}
