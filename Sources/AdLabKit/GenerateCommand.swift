import AdLabCore
import AdLabTensor
import AdLabText
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab generate PROMPT...`: SmolLM2-135M-Instruct completions, each prompt a user message of a chat (or the
  /// raw prompt text with `--raw`), all prompts decoded together in one batch.
  struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Complete each prompt with SmolLM2-135M-Instruct (greedy unless --temperature is above 0).",
      discussion: """
        Needs the cached model (`adlab models fetch smollm2`). Each PROMPT is a user message put through the \
        model's chat template (ChatML with its default system line); with --raw it is the prompt text as is \
        (special tokens such as <|im_start|> are recognised either way). Decoding stops at the end of the \
        assistant's turn (<|im_end|>) unless --ignore-eos, or after --max-tokens tokens. Sampling draws come from \
        the seeded stream of each prompt's position, so the same model, prompts, parameters and seed give the \
        same text on every machine of the same kernel class, whatever --threads. JSON form: {"model": {"name", \
        "sha256"}, "items": [{"prompt", "prompt_ids", "completion_ids", "text"}]}, one item per prompt in order; \
        completion_ids end with the end-of-turn id when decoding stopped there, and text leaves that token out.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var kernelOptions: KernelOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "The most tokens generated per prompt.")
    var maxTokens: Int = 64

    @Option(help: "Sampling temperature; 0 is greedy.")
    var temperature: Double = 0

    @Option(help: "Sample among the K most likely tokens only; 0 keeps all.")
    var topK: Int = 0

    @Option(help: "Nucleus sampling: the fewest most likely tokens whose probability reaches P; 1 keeps all.")
    var topP: Double = 1

    @Option(help: "Above 1 discourages tokens already in the prompt or completion; 1 is off.")
    var repetitionPenalty: Double = 1

    @Option(help: "Seed of the sampling streams (unused when greedy).")
    var seed: UInt64 = 0

    @Flag(help: "Keep decoding past the end-of-turn token, up to --max-tokens.")
    var ignoreEos = false

    @Flag(help: "Use each PROMPT as the model's input text as is, without the chat template.")
    var raw = false

    @Option(
      help:
        "Matrix-product arithmetic: float (dequantise on the fly, as transformers) or int8 (8-bit activations, as llama.cpp)."
    )
    var arithmetic: String = LlamaArithmetic.float.rawValue

    @Option(help: "Worker threads (never changes the result).")
    var threads: Int = TensorParallelism.current

    @Argument(help: "The prompts.")
    var prompts: [String]

    var parameters: SamplingParameters {
      SamplingParameters(
        temperature: temperature, topK: topK, topP: topP, repetitionPenalty: repetitionPenalty, maxTokens: maxTokens,
        stopAtEndOfTurn: !ignoreEos)
    }

    func validate() throws {
      guard !prompts.isEmpty else { throw ValidationError("give at least one prompt") }
      guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
      guard LlamaArithmetic(rawValue: arithmetic) != nil else {
        throw ValidationError(
          "--arithmetic must be one of: " + LlamaArithmetic.allCases.map(\.rawValue).joined(separator: ", "))
      }
      do { try parameters.validate() } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
      let url = SmolLM2Model.fileURL()
      guard FileManager.default.fileExists(atPath: url.path) else {
        throw ValidationError(
          "SmolLM2-135M-Instruct is not cached (\(url.path)); run `adlab models fetch smollm2` first")
      }
      let gguf = try GGUFFile(contentsOf: url)
      let tokenizer = try BytePairTokenizer(gguf: gguf)
      let model = try LlamaModel(
        gguf: gguf, kernels: .current, arithmetic: LlamaArithmetic(rawValue: arithmetic) ?? .float)
      let inputs: [String]
      if raw {
        inputs = prompts
      } else {
        let template = try ChatTemplate(gguf: gguf)
        inputs = prompts.map { template.render(messages: [.user($0)], addGenerationPrompt: true) }
      }
      let promptIds = inputs.map { tokenizer.encode($0, parseSpecialTokens: true) }
      if let empty = promptIds.firstIndex(where: \.isEmpty) {
        throw ValidationError("prompt \(empty + 1) is empty; give some text")
      }
      let generator = TextGenerator(model: model, endOfTurn: tokenizer.endOfSequence)
      let completions = try generator.generate(prompts: promptIds, parameters: parameters, seed: seed, threads: threads)
      let texts = completions.map { completion in
        let shown = completion.stopReason == .endOfTurn ? Array(completion.ids.dropLast()) : completion.ids
        return tokenizer.decode(shown)
      }
      switch format {
      case .json:
        let sha256 = ModelCache.recordedSHA256(model: SmolLM2Model.name, file: SmolLM2Model.fileName) ?? "unknown"
        let items: [JSONValue] = prompts.indices.map { index in
          .object([
            ("prompt", .string(prompts[index])),
            ("prompt_ids", .array(completions[index].promptIds.map { .int(Int($0)) })),
            ("completion_ids", .array(completions[index].ids.map { .int(Int($0)) })),
            ("text", .string(texts[index])),
          ])
        }
        let root = JSONValue.object([
          ("model", .object([("name", .string(SmolLM2Model.name)), ("sha256", .string(sha256))])),
          ("items", .array(items)),
        ])
        print(root.rendered())
      case .text:
        for (index, text) in texts.enumerated() {
          if prompts.count > 1 { print("> \(prompts[index])") }
          print(text)
          if prompts.count > 1, index < texts.count - 1 { print("") }
        }
      }
    }
  }
}
