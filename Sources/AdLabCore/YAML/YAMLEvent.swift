/// One libyaml parse event, as Swift values (no C pointers).
enum YAMLEvent {
  case streamStart
  case streamEnd
  case documentStart(mark: SourceMark)
  case documentEnd
  case alias(name: String, mark: SourceMark)
  case scalar(YAMLScalar, anchor: String?)
  case sequenceStart(anchor: String?, mark: SourceMark)
  case sequenceEnd
  case mappingStart(anchor: String?, mark: SourceMark)
  case mappingEnd
}
