/// The source line at `mark` with a caret under its column, as compilers print it.
///
/// ```
///  b: 2
///   ^
/// ```
/// Lines break where YAML breaks them (LF, CR, CR LF, NEL, LS, PS). Columns count Unicode scalars,
/// as libyaml's marks do; the caret's indent copies the tabs of the line so that it stays aligned,
/// and combining marks take no column. A leading byte order mark is not part of line 1.
///
/// - Parameters:
///   - text: The whole source text.
///   - mark: A 1-based line and column, as in `SourceMark`.
/// - Returns: Two lines joined by a newline (no trailing newline), or the empty string when the
///   line does not exist or holds only whitespace (for example, an error at the end of the input).
public func sourceSnippet(text: String, mark: SourceMark) -> String {
  guard let line = sourceLine(text: text, number: mark.line),
    line.unicodeScalars.contains(where: { !$0.properties.isWhitespace })
  else { return "" }
  var indent = ""
  for scalar in line.unicodeScalars.prefix(max(0, mark.column - 1)) {
    switch scalar {
    case "\t": indent.append("\t")
    case _ where isZeroWidth(scalar): continue
    default: indent.append(" ")
    }
  }
  return line + "\n" + indent + "^"
}

/// The 1-based line `number` of `text`, without its line break, or `nil` past the end.
func sourceLine(text: String, number: Int) -> String? {
  guard number >= 1 else { return nil }
  var scalars = text.unicodeScalars[...]
  if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
  var current = 1
  var lineStart = scalars.startIndex
  var index = scalars.startIndex
  while index < scalars.endIndex {
    let scalar = scalars[index]
    guard isLineBreak(scalar) else {
      index = scalars.index(after: index)
      continue
    }
    if current == number { return String(scalars[lineStart..<index]) }
    index = scalars.index(after: index)
    if scalar == "\r", index < scalars.endIndex, scalars[index] == "\n" {
      index = scalars.index(after: index)
    }
    current += 1
    lineStart = index
  }
  return current == number ? String(scalars[lineStart...]) : nil
}

/// Line breaks as YAML (and libyaml) count them.
func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
  switch scalar {
  case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": true
  default: false
  }
}

private func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
  switch scalar.properties.generalCategory {
  case .nonspacingMark, .enclosingMark, .format: true
  default: false
  }
}
