import Foundation

/// A small deterministic SVG plotting surface: linear axes with ticks, lines, bands, points, error bars.
/// Coordinates print with fixed decimals, so the same data always gives the same bytes.
struct SVGPlot {
  static let palette = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
  ]

  let width: Double, height: Double
  let left: Double, right = 32.0, top = 16.0, bottom = 40.0
  var xRange: ClosedRange<Double>
  var yRange: ClosedRange<Double>
  private(set) var body = ""

  /// A plot whose axes span the given data ranges (padded a little; a zero-width range is widened).
  init(width: Double = 640, height: Double = 300, left: Double = 64, x: ClosedRange<Double>, y: ClosedRange<Double>) {
    self.width = width
    self.left = left
    self.height = height
    xRange = Self.widened(x, pad: 0)
    yRange = Self.widened(y, pad: 0.05)
  }

  static func widened(_ range: ClosedRange<Double>, pad: Double) -> ClosedRange<Double> {
    guard range.lowerBound.isFinite, range.upperBound.isFinite else { return 0...1 }
    if range.upperBound - range.lowerBound < 1e-12 * max(1, abs(range.lowerBound)) {
      let d = max(abs(range.lowerBound) * 0.1, 1e-9)
      return (range.lowerBound - d)...(range.upperBound + d)
    }
    let d = (range.upperBound - range.lowerBound) * pad
    return (range.lowerBound - d)...(range.upperBound + d)
  }

  func px(_ x: Double) -> Double {
    left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (width - left - right)
  }
  func py(_ y: Double) -> Double {
    height - bottom - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * (height - top - bottom)
  }

  static func f(_ v: Double) -> String { String(format: "%.1f", v) }

  /// About `count` round tick values covering `range`.
  static func ticks(_ range: ClosedRange<Double>, count: Int = 5) -> [Double] {
    let span = range.upperBound - range.lowerBound
    guard span > 0, span.isFinite else { return [range.lowerBound] }
    let raw = span / Double(count)
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var values: [Double] = []
    var v = (range.lowerBound / step).rounded(.up) * step
    while v <= range.upperBound + step * 1e-9 {
      values.append(abs(v) < step * 1e-9 ? 0 : v)
      v += step
    }
    return values
  }

  /// Axes with ticks and labels; `xLabels` replaces numeric x ticks with categories at 0, 1, 2, ….
  mutating func axes(
    xTitle: String, yTitle: String, xFormat: (Double) -> String = Text.number,
    yFormat: (Double) -> String = Text.number, xLabels: [String]? = nil
  ) {
    let x0 = Self.f(left), x1 = Self.f(width - right), yb = Self.f(height - bottom), yt = Self.f(top)
    body += "<path class=\"axis\" d=\"M\(x0) \(yt)V\(yb)H\(x1)\"/>\n"
    for y in Self.ticks(yRange) {
      let p = Self.f(py(y))
      body +=
        "<path class=\"grid\" d=\"M\(x0) \(p)H\(x1)\"/><text class=\"tick\" x=\"\(Self.f(left - 6))\" y=\"\(p)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(HTML.escape(yFormat(y)))</text>\n"
    }
    let xs: [(Double, String)] =
      xLabels.map { labels in labels.enumerated().map { (Double($0), $1) } }
      ?? Self.ticks(xRange).map { ($0, xFormat($0)) }
    for (x, label) in xs {
      body +=
        "<text class=\"tick\" x=\"\(Self.f(px(x)))\" y=\"\(Self.f(height - bottom + 16))\" text-anchor=\"middle\">\(HTML.escape(label))</text>\n"
    }
    body +=
      "<text class=\"title\" x=\"\(Self.f((left + width - right) / 2))\" y=\"\(Self.f(height - 4))\" text-anchor=\"middle\">\(HTML.escape(xTitle))</text>\n"
    body +=
      "<text class=\"title\" transform=\"translate(12 \(Self.f((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(HTML.escape(yTitle))</text>\n"
  }

  /// A line through `points` (non-finite points are skipped), tagged with a series name for the legend.
  mutating func line(_ points: [(Double, Double)], color: String, series: String) {
    let d = points.filter { $0.0.isFinite && $0.1.isFinite }.enumerated()
      .map { ($0.offset == 0 ? "M" : "L") + Self.f(px($0.element.0)) + " " + Self.f(py($0.element.1)) }.joined()
    guard !d.isEmpty else { return }
    body += "<path class=\"line\" data-series=\"\(HTML.escape(series))\" d=\"\(d)\" stroke=\"\(color)\"/>\n"
  }

  /// A shaded band between `lower` and `upper` over the same x values.
  mutating func band(_ x: [Double], lower: [Double], upper: [Double], color: String, series: String) {
    let upperPoints = zip(x, upper).filter { $0.0.isFinite && $0.1.isFinite }
    let lowerPoints = zip(x, lower).filter { $0.0.isFinite && $0.1.isFinite }.reversed()
    let all = upperPoints + lowerPoints
    guard all.count >= 3 else { return }
    let points = all.map { Self.f(px($0.0)) + "," + Self.f(py($0.1)) }.joined(separator: " ")
    body += "<polygon class=\"band\" data-series=\"\(HTML.escape(series))\" points=\"\(points)\" fill=\"\(color)\"/>\n"
  }

  /// A point with a horizontal or vertical interval through it and a tooltip.
  mutating func interval(
    at x: Double, _ y: Double, from low: Double, to high: Double, horizontal: Bool, color: String, series: String,
    tip: String
  ) {
    guard x.isFinite, y.isFinite else { return }
    var d = ""
    if low.isFinite && high.isFinite {
      d =
        horizontal
        ? "M\(Self.f(px(low))) \(Self.f(py(y)))H\(Self.f(px(high)))"
        : "M\(Self.f(px(x))) \(Self.f(py(low)))V\(Self.f(py(high)))"
    }
    body += "<g data-series=\"\(HTML.escape(series))\"><title>\(HTML.escape(tip))</title>"
    if !d.isEmpty { body += "<path class=\"whisker\" d=\"\(d)\" stroke=\"\(color)\"/>" }
    body += "<circle cx=\"\(Self.f(px(x)))\" cy=\"\(Self.f(py(y)))\" r=\"3.5\" fill=\"\(color)\"/></g>\n"
  }

  /// A vertical reference line at `x`.
  mutating func verticalRule(at x: Double) {
    body += "<path class=\"rule\" d=\"M\(Self.f(px(x))) \(Self.f(top))V\(Self.f(height - bottom))\"/>\n"
  }

  /// Raw SVG appended as is.
  mutating func raw(_ svg: String) { body += svg }

  var svg: String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.f(width)) \(Self.f(height))\" width=\"\(Self.f(width))\" height=\"\(Self.f(height))\" role=\"img\">\n\(body)</svg>\n"
  }
}
