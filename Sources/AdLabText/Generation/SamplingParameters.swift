/// How the next token is chosen from the model's logits. The defaults are greedy decoding of at most 64 tokens,
/// stopping at the end of the assistant's turn.
public struct SamplingParameters: Sendable, Equatable {
  /// 0: greedy (the highest logit, the lowest id on a tie); above 0: logits are divided by it before sampling.
  public var temperature: Double
  /// Sample among the `topK` highest logits only; 0 keeps every token.
  public var topK: Int
  /// Nucleus sampling: keep the fewest highest-probability tokens whose probabilities sum to at least `topP`;
  /// 1 keeps every token.
  public var topP: Double
  /// Above 1 discourages tokens already in the prompt or the completion (a positive logit is divided by it, a
  /// negative one multiplied, as in Hugging Face's `repetition_penalty`); 1 is off.
  public var repetitionPenalty: Double
  /// The most tokens generated per prompt.
  public var maxTokens: Int
  /// Stop at the end-of-turn token (`<|im_end|>`); false keeps decoding to `maxTokens` (`--ignore-eos`).
  public var stopAtEndOfTurn: Bool

  public init(
    temperature: Double = 0, topK: Int = 0, topP: Double = 1, repetitionPenalty: Double = 1, maxTokens: Int = 64,
    stopAtEndOfTurn: Bool = true
  ) {
    self.temperature = temperature
    self.topK = topK
    self.topP = topP
    self.repetitionPenalty = repetitionPenalty
    self.maxTokens = maxTokens
    self.stopAtEndOfTurn = stopAtEndOfTurn
  }

  /// True when no random draw is made.
  public var isGreedy: Bool { temperature == 0 }

  /// Checks every field's range.
  /// - Throws: ``SamplingError`` naming the field and its allowed values.
  public func validate() throws(SamplingError) {
    guard temperature.isFinite, temperature >= 0 else {
      throw .invalid("temperature", "\(temperature)", "a finite number ≥ 0 (0 is greedy)")
    }
    guard topK >= 0 else { throw .invalid("top-k", "\(topK)", "an integer ≥ 0 (0 keeps every token)") }
    guard topP > 0, topP <= 1 else { throw .invalid("top-p", "\(topP)", "a number in (0, 1] (1 keeps every token)") }
    guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
      throw .invalid("repetition penalty", "\(repetitionPenalty)", "a finite number > 0 (1 is off)")
    }
    guard maxTokens >= 1 else { throw .invalid("max tokens", "\(maxTokens)", "an integer ≥ 1") }
  }
}

/// A sampling parameter out of range.
public enum SamplingError: Error, Equatable, CustomStringConvertible {
  case invalid(_ parameter: String, _ value: String, _ allowed: String)

  public var description: String {
    switch self {
    case .invalid(let parameter, let value, let allowed): return "\(parameter) is \(value); it must be \(allowed)"
    }
  }
}
