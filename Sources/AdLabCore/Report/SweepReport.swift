/// The sweep's report.html.
enum SweepReport {
  static func render(_ results: SweepResults) -> String { "" }
}
