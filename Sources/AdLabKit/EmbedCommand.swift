import AdLabCore
import AdLabTensor
import AdLabText
import ArgumentParser
import Foundation

/// The cached all-MiniLM-L6-v2 with its tokenizer, loaded together (what `adlab embed` and `adlab bench embed` use).
struct MiniLMPipeline {
  let encoder: MiniLMEncoder
  let tokenizer: WordPieceTokenizer
  let folder: URL

  /// Loads from the cache; errors say to run `adlab models fetch minilm`.
  init() throws {
    folder = ModelCache.miniLMFolder()
    encoder = try MiniLMEncoder(folder: folder)
    let vocabulary = folder.appendingPathComponent("vocab.txt")
    guard FileManager.default.fileExists(atPath: vocabulary.path) else {
      throw EncoderError.missingFile(path: vocabulary.path)
    }
    tokenizer = try WordPieceTokenizer(
      vocabularyFile: vocabulary, lowercase: true, maxSequenceLength: encoder.config.maxSequenceLength)
  }

  /// The weights' sha256 as recorded in the cache manifest at fetch time.
  var weightsSHA256: String {
    let manifest =
      (try? String(contentsOf: folder.appendingPathComponent(ModelCache.manifestName), encoding: .utf8)) ?? ""
    let line = manifest.split(separator: "\n").first { $0.hasSuffix("  model.safetensors") }
    return line.map { String($0.prefix(64)) } ?? "unknown"
  }

  /// Token ids and embeddings of `texts`, in order.
  func embed(_ texts: [String], threads: Int) throws -> (ids: [[Int32]], embeddings: [SentenceEmbedding]) {
    let ids = texts.map(tokenizer.encode)
    return (ids, try encoder.embed(ids, threads: threads))
  }
}

extension AdLabCommand {
  /// `adlab embed TEXT...`: each text's WordPiece ids and all-MiniLM-L6-v2 embedding, or their cosine matrix.
  struct Embed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print each text's WordPiece ids and all-MiniLM-L6-v2 sentence embedding (or the cosine matrix).",
      discussion: """
        Needs the cached model (`adlab models fetch minilm`). JSON form: {"model": {"name", "sha256"}, \
        "items": [{"text", "input_ids", "embedding"}]} (plus "similarity" with --similarity), one item per text in order.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var kernelOptions: KernelOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Flag(help: "Print the cosine similarity matrix of the texts instead of their embeddings (text form).")
    var similarity = false

    @Option(help: "Worker threads (never changes the result).")
    var threads: Int = GEMM.defaultThreads

    @Argument(help: "The texts to embed.")
    var texts: [String]

    func validate() throws {
      guard !texts.isEmpty else { throw ValidationError("give at least one text") }
      guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
      let pipeline = try MiniLMPipeline()
      let (ids, embeddings) = try pipeline.embed(texts, threads: threads)
      let cosines = embeddings.map { a in
        embeddings.map { b in zip(a.vector, b.vector).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
      }
      switch format {
      case .json:
        // Each float32 is written as the shortest decimal of its exact double value (as the reference fixture).
        var root: [(String, JSONValue)] = [
          ("model", .object([("name", .string(MiniLMModel.name)), ("sha256", .string(pipeline.weightsSHA256))])),
          (
            "items",
            .array(
              zip(texts, zip(ids, embeddings)).map { text, pair in
                .object([
                  ("text", .string(text)), ("input_ids", .array(pair.0.map { .int(Int($0)) })),
                  ("embedding", .array(pair.1.vector.map { .double(Double($0)) })),
                ])
              })
          ),
        ]
        if similarity { root.append(("similarity", .array(cosines.map { .array($0.map { .double(Double($0)) }) }))) }
        print(JSONValue.object(root).rendered())
      case .text:
        if similarity {
          for (i, row) in cosines.enumerated() {
            print(row.map { String(format: "%7.4f", $0) }.joined(separator: " ") + "  \(texts[i])")
          }
          return
        }
        for (text, pair) in zip(texts, zip(ids, embeddings)) {
          print(text)
          print("  ids: " + pair.0.map(String.init).joined(separator: " "))
          print("  embedding: " + pair.1.vector.map { String(format: "%.6f", $0) }.joined(separator: " "))
        }
      }
    }
  }
}
