internal import CYAML

/// The only place that talks to libyaml: runs its event parser over UTF-8 bytes and hands each
/// event to a Swift closure, translating libyaml's errors into `YAMLError.syntax`.
enum LibYAMLEventReader {
  /// Parses `bytes` event by event until the stream ends or `handle` returns `false`.
  ///
  /// - Parameters:
  ///   - bytes: The input; it must stay valid for the whole call. libyaml detects UTF-16 by its
  ///     byte order mark, skips a UTF-8 one, and rejects invalid UTF-8.
  ///   - file: The name used in errors.
  ///   - handle: Called for each event in order; returns whether to go on.
  /// - Throws: `YAMLError.syntax` for whatever libyaml rejects, or what `handle` throws.
  static func read(
    _ bytes: UnsafeBufferPointer<UInt8>,
    file: String,
    _ handle: (YAMLEvent) throws(YAMLError) -> Bool
  ) throws(YAMLError) {
    // libyaml keeps a pointer to the parser inside the parser, so it must not move: heap-allocate it.
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    defer { parser.deallocate() }
    guard yaml_parser_initialize(parser) == 1 else {
      throw .syntax(
        file: file, mark: SourceMark(line: 1, column: 1),
        message: "libyaml could not start (out of memory)")
    }
    defer { yaml_parser_delete(parser) }
    yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)

    var goOn = true
    while goOn {
      var event = yaml_event_t()
      guard yaml_parser_parse(parser, &event) == 1 else {
        throw syntaxError(parser.pointee, bytes: bytes, file: file)
      }
      defer { yaml_event_delete(&event) }
      let converted = convert(event)
      goOn = try handle(converted)
      if case .streamEnd = converted { goOn = false }
    }
  }

  // MARK: - Implementation details

  private static func convert(_ event: yaml_event_t) -> YAMLEvent {
    let mark = sourceMark(event.start_mark)
    switch event.type {
    case YAML_STREAM_START_EVENT:
      return .streamStart
    case YAML_DOCUMENT_START_EVENT:
      return .documentStart(mark: mark)
    case YAML_DOCUMENT_END_EVENT:
      return .documentEnd
    case YAML_ALIAS_EVENT:
      return .alias(name: string(event.data.alias.anchor) ?? "", mark: mark)
    case YAML_SCALAR_EVENT:
      let data = event.data.scalar
      let text =
        data.value.map {
          String(
            decoding: UnsafeBufferPointer(start: $0, count: data.length),
            as: UTF8.self)
        } ?? ""
      let tag = string(data.tag)
      let scalar = YAMLScalar(
        text: text,
        isPlain: data.style == YAML_PLAIN_SCALAR_STYLE && tag == nil, tag: tag,
        mark: mark)
      return .scalar(scalar, anchor: string(data.anchor))
    case YAML_SEQUENCE_START_EVENT:
      return .sequenceStart(
        anchor: string(event.data.sequence_start.anchor), mark: mark)
    case YAML_SEQUENCE_END_EVENT:
      return .sequenceEnd
    case YAML_MAPPING_START_EVENT:
      return .mappingStart(
        anchor: string(event.data.mapping_start.anchor), mark: mark)
    case YAML_MAPPING_END_EVENT:
      return .mappingEnd
    default:
      // YAML_STREAM_END_EVENT; a successful parse never yields YAML_NO_EVENT.
      return .streamEnd
    }
  }

  private static func syntaxError(
    _ parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>, file: String
  ) -> YAMLError {
    let problem = string(parser.problem) ?? "unknown libyaml error"
    let mark: SourceMark
    var message: String
    switch parser.error {
    case YAML_READER_ERROR:
      // Reader errors (bad encoding, control characters) carry a byte offset, not a mark.
      mark = sourceMark(byteOffset: parser.problem_offset, in: bytes)
      message = problem
      if parser.problem_value != -1 {
        let hex = String(
          UInt32(bitPattern: parser.problem_value), radix: 16, uppercase: true)
        message += " (#x\(hex))"
      }
    case YAML_MEMORY_ERROR:
      mark = SourceMark(line: 1, column: 1)
      message = "libyaml ran out of memory"
    default:
      mark = sourceMark(parser.problem_mark)
      message = problem
      if let context = string(parser.context) {
        message += " (\(context) at \(sourceMark(parser.context_mark)))"
      }
    }
    let snippet = sourceSnippet(
      text: String(decoding: bytes, as: UTF8.self), mark: mark)
    if !snippet.isEmpty { message += "\n" + snippet }
    return .syntax(file: file, mark: mark, message: message)
  }

  private static func sourceMark(_ mark: yaml_mark_t) -> SourceMark {
    SourceMark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
  }

  /// The mark of byte `offset`: lines broken as YAML breaks them, columns in Unicode scalars.
  private static func sourceMark(
    byteOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>
  ) -> SourceMark {
    var line = 1
    var column = 1
    var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    let end = min(offset, bytes.count)
    while index < end {
      let byte = bytes[index]
      let next = index + 1 < bytes.count ? bytes[index + 1] : 0
      let third = index + 2 < bytes.count ? bytes[index + 2] : 0
      if byte == 0x0D && next == 0x0A {
        index += 2
      } else if byte == 0x0A || byte == 0x0D {
        index += 1
      } else if byte == 0xC2 && next == 0x85 {
        index += 2
      } else if byte == 0xE2 && next == 0x80 && (third == 0xA8 || third == 0xA9) {
        index += 3
      } else {
        if byte & 0xC0 != 0x80 { column += 1 }  // count lead bytes only
        index += 1
        continue
      }
      line += 1
      column = 1
    }
    return SourceMark(line: line, column: column)
  }

  private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?)
    -> String?
  {
    pointer.map { String(decodingCString: $0, as: UTF8.self) }
  }

  private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
    pointer.map { String(cString: $0) }
  }
}
