/// The page scaffold shared by bundle and sweep reports: one self-contained HTML file with inline CSS,
/// inline SVG and a few lines of script (legend highlighting), nothing fetched from a network.
enum HTML {
  static func escape(_ text: String) -> String {
    var out = ""
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(c)
      }
    }
    return out
  }

  /// A legend of series names; hovering a name highlights its lines, bands and points.
  static func legend(_ names: [String]) -> String {
    "<div class=\"legend\">"
      + names.enumerated().map { i, name in
        "<span class=\"key\" data-series=\"\(escape(name))\"><i style=\"background:\(SVGPlot.palette[i % SVGPlot.palette.count])\"></i>\(escape(name))</span>"
      }.joined() + "</div>\n"
  }

  /// A table from a header and rows of already-escaped cells.
  static func table(_ header: [String], _ rows: [[String]]) -> String {
    var out = "<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
    for row in rows { out += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>\n" }
    return out + "</tbody></table>\n"
  }

  static func page(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(escape(title))</title>
    <style>
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1000px;padding:0 16px;color:#222}
    h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
    table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}
    th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
    svg{max-width:100%;height:auto;display:block;margin:4px 0}
    .axis{fill:none;stroke:#444}.grid{stroke:#eee}.tick{font-size:11px;fill:#555}.title{font-size:12px;fill:#333}
    .line{fill:none;stroke-width:2}.band{opacity:.18}.whisker{stroke-width:2}.rule{stroke:#999;stroke-dasharray:4 3}
    .legend{margin:6px 0}.key{margin-right:14px;cursor:default}.key i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
    .dim{opacity:.12}.note{color:#666}.better{color:#1a7f37}.worse{color:#c62828}
    </style>
    </head>
    <body>
    \(body)
    <script>
    (function () {
      var keys = document.querySelectorAll('.key');
      keys.forEach(function (key) {
        var name = key.getAttribute('data-series');
        key.addEventListener('mouseenter', function () {
          document.querySelectorAll('svg [data-series]').forEach(function (el) {
            if (el.getAttribute('data-series') !== name) el.classList.add('dim');
          });
        });
        key.addEventListener('mouseleave', function () {
          document.querySelectorAll('.dim').forEach(function (el) { el.classList.remove('dim'); });
        });
      });
      document.documentElement.setAttribute('data-rendered', String(document.querySelectorAll('svg').length));
    })();
    </script>
    </body>
    </html>

    """
  }
}
