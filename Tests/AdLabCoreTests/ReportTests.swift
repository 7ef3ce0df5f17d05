import AdLabBuiltins
import Foundation
import Testing

@testable import AdLabCore

/// report.html: deterministic, and drawn by headless Chromium without script errors.
struct ReportTests {
  /// Debian's chromium, when installed.
  static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

  static func bundle(root: String) async throws -> String {
    try await DiffTests.bundle([], root: root)
  }

  @Test func reportIsPartOfTheBundleAndRerendersIdentically() async throws {
    let root = try temporaryFolder("report")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let bundle = try await Self.bundle(root: root)
    let written = try String(contentsOfFile: "\(bundle)/report.html", encoding: .utf8)
    #expect(try BundleReport.render(bundle: bundle) == written)
    #expect(try Manifest.read(bundle: bundle).files["report.html"] != nil)
    #expect(
      written.contains("<svg") && written.contains("Cumulative regret over time")
        && written.contains("Lift against the control"))
    #expect(!written.contains("http://") || !written.contains("src=\"http"))
    #expect(!written.contains("<link") && !written.contains("src="))
  }

  /// Loads `file` in headless Chromium; returns the DOM after scripts ran and the browser's log.
  static func render(_ file: String, in folder: String) throws -> (dom: String, log: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromium ?? "/usr/bin/chromium")
    process.arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
      "--user-data-dir=\(folder)/chromium-profile", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
      "--dump-dom", "file://\(file)",
    ]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let dom = out.fileHandleForReading.readDataToEndOfFile()
    let log = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (String(decoding: dom, as: UTF8.self), String(decoding: log, as: UTF8.self))
  }

  @Test(
    .enabled(
      if: chromium != nil, "chromium is not installed (apt-get install chromium); skipping the browser rendering check")
  )
  func bundleAndSweepReportsDrawInChromiumWithoutScriptErrors() async throws {
    let root = try temporaryFolder("chromium")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let bundle = try await Self.bundle(root: root)
    let plan = try SweepRunTests.plan()
    let sweep = "\(root)/sweep"
    _ = try await SweepRunTests.runner().run(plan, folder: sweep)
    for (file, svgs) in [("\(bundle)/report.html", 3), ("\(sweep)/report.html", 6)] {
      let (dom, log) = try Self.render(file, in: root)
      // The page script runs last and records how many plots the browser built.
      let rendered = dom.range(of: "data-rendered=\"")
      #expect(rendered != nil, "the page script did not run: \(log.suffix(2000))")
      let count = rendered.flatMap { Int(dom[$0.upperBound...].prefix { $0.isNumber }) } ?? 0
      #expect(count >= svgs, "\(file): \(count) svg elements")
      #expect(!log.contains("Uncaught"), "script error: \(log)")
      #expect(!log.contains("CONSOLE") || !log.lowercased().contains("error"), "console error: \(log)")
    }
  }
}
