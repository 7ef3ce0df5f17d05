/// The scratch buffers of one forward pass, allocated once per `embed` call and reused for every pack and layer
/// (no allocation inside the layer loop). Sized for `tokens` packed tokens, sequences of at most `longest`
/// tokens, and `workers` attention workers.
final class EncoderWorkspace {
  let hidden: UnsafeMutablePointer<Float>
  let qkv: UnsafeMutablePointer<Float>
  let context: UnsafeMutablePointer<Float>
  let sum: UnsafeMutablePointer<Float>
  let intermediate: UnsafeMutablePointer<Float>
  /// One `longest × longest` score matrix per attention worker.
  let scores: UnsafeMutablePointer<Float>
  let scoresStride: Int

  init(config: BertConfig, tokens: Int, longest: Int, workers: Int) {
    let h = config.hiddenSize
    hidden = .allocate(capacity: tokens * h)
    qkv = .allocate(capacity: tokens * 3 * h)
    context = .allocate(capacity: tokens * h)
    sum = .allocate(capacity: tokens * h)
    intermediate = .allocate(capacity: tokens * config.intermediateSize)
    scoresStride = longest * longest
    scores = .allocate(capacity: scoresStride * workers)
  }

  deinit {
    for buffer in [hidden, qkv, context, sum, intermediate, scores] { buffer.deallocate() }
  }
}
