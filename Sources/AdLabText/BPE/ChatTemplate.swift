import Foundation

/// A chat in the ChatML form SmolLM2's template writes: each message as `<|im_start|>ROLE\nCONTENT<|im_end|>\n`,
/// a default system message first when the chat does not start with one, and `<|im_start|>assistant\n` at the
/// end when a reply is to be generated.
///
/// AdLab does not run Jinja: it recognises the ChatML shape in the file's `tokenizer.chat_template` and takes the
/// default system line from it, so a model whose template says something else is refused rather than mis-prompted.
public struct ChatTemplate: Sendable, Equatable {
  /// One message of a chat.
  public struct Message: Sendable, Equatable {
    public let role: String
    public let content: String
    public init(role: String, content: String) {
      self.role = role
      self.content = content
    }
    public static func user(_ content: String) -> Message { Message(role: "user", content: content) }
    public static func system(_ content: String) -> Message { Message(role: "system", content: content) }
  }

  /// Why the file's template cannot be used.
  public enum Failure: Error, Equatable, CustomStringConvertible {
    case missing(GGUFError)
    case unrecognised(String)
    public var description: String {
      switch self {
      case .missing(let error): return error.description
      case .unrecognised(let excerpt):
        return
          "the model's chat template is not the ChatML form AdLab renders (it starts \(excerpt.prefix(80).debugDescription)); use --raw and write the prompt yourself"
      }
    }
  }

  /// The system message put first when a chat has none (nil: none is added).
  public let defaultSystem: String?

  public init(defaultSystem: String?) { self.defaultSystem = defaultSystem }

  /// The message line the ChatML loop writes (whitespace inside the Jinja expression varies between files).
  private static let messagePattern = "'<|im_start|>'+message['role']+'\\n'+message['content']+'<|im_end|>'+'\\n'"
  private static let generationPattern = "'<|im_start|>assistant\\n'"
  private static let defaultSystemStart = "'<|im_start|>system\\n"

  /// Reads `tokenizer.chat_template` of `gguf`.
  public init(gguf: GGUFFile) throws(Failure) {
    let template: String
    do { template = try gguf.string("tokenizer.chat_template") } catch { throw .missing(error) }
    try self.init(template: template)
  }

  /// Recognises a ChatML Jinja template (with or without a default system message).
  public init(template: String) throws(Failure) {
    // The GGUF stores the template with real newlines inside its string literals; compare in escaped form.
    let compact = template.replacingOccurrences(of: "\n", with: "\\n").filter { $0 != " " }
    guard compact.contains(Self.messagePattern), compact.contains(Self.generationPattern) else {
      throw .unrecognised(template)
    }
    // The default system message is the literal between `'<|im_start|>system\n` and `<|im_end|>` written when
    // the first message is not a system one; read it from the uncompacted text to keep its spaces.
    let escaped = template.replacingOccurrences(of: "\n", with: "\\n")
    guard compact.contains("messages[0]['role']!='system'") else {
      defaultSystem = nil
      return
    }
    guard let start = escaped.range(of: Self.defaultSystemStart),
      let end = escaped.range(of: "<|im_end|>", range: start.upperBound..<escaped.endIndex)
    else { throw .unrecognised(template) }
    defaultSystem = String(escaped[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "\\n", with: "\n")
  }

  /// The prompt text of `messages`, ending with the assistant's turn opened when `addGenerationPrompt`.
  public func render(messages: [Message], addGenerationPrompt: Bool) -> String {
    var text = ""
    if let defaultSystem, let first = messages.first, first.role != "system" {
      text += "<|im_start|>system\n\(defaultSystem)<|im_end|>\n"
    }
    for message in messages {
      text += "<|im_start|>\(message.role)\n\(message.content)<|im_end|>\n"
    }
    if addGenerationPrompt { text += "<|im_start|>assistant\n" }
    return text
  }
}
