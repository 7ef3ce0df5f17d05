#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A learning rate as a function of the step number (0 for the first update).
///
/// A plain number is a constant schedule: `Adam<Float>(learningRate: 0.01)`.
public indirect enum LearningRateSchedule: Sendable, Equatable, ExpressibleByFloatLiteral {
  /// The same rate at every step.
  case constant(Double)
  /// `initial · factor^⌊step / every⌋`.
  case step(initial: Double, factor: Double, every: Int)
  /// Cosine annealing from `initial` to `minimum` over `steps`, then `minimum`:
  /// `minimum + (initial − minimum) · (1 + cos(π · min(step, steps) / steps)) / 2`.
  case cosine(initial: Double, minimum: Double, steps: Int)
  /// Linear warmup: `then.rate(at: 0) · (step + 1) / steps` for the first `steps` steps, then
  /// `then.rate(at: step − steps)`.
  case warmup(steps: Int, then: LearningRateSchedule)

  public init(floatLiteral value: Double) { self = .constant(value) }

  /// The rate at `step`.
  public func rate(at step: Int) -> Double {
    switch self {
    case .constant(let value):
      return value
    case .step(let initial, let factor, let every):
      return initial * AdLabMath.pow(factor, step / every)
    case .cosine(let initial, let minimum, let steps):
      let progress = Double(Swift.min(step, steps)) / Double(steps)
      return minimum + (initial - minimum) * (1 + AdLabMath.cos(Double.pi * progress)) / 2
    case .warmup(let steps, let then):
      if step < steps { return then.rate(at: 0) * Double(step + 1) / Double(steps) }
      return then.rate(at: step - steps)
    }
  }

  /// Stops with a message naming `optimizer` if any parameter is out of range.
  public func validate(for optimizer: String) {
    switch self {
    case .constant(let value):
      precondition(value >= 0 && value.isFinite, "\(optimizer): learning rate must be finite and >= 0, got \(value)")
    case .step(let initial, let factor, let every):
      precondition(initial >= 0 && initial.isFinite, "\(optimizer): initial learning rate must be >= 0, got \(initial)")
      precondition(factor > 0 && factor <= 1, "\(optimizer): step decay factor must be in (0, 1], got \(factor)")
      precondition(every > 0, "\(optimizer): step decay interval must be positive, got \(every)")
    case .cosine(let initial, let minimum, let steps):
      precondition(
        minimum >= 0 && minimum <= initial && initial.isFinite,
        "\(optimizer): cosine schedule needs 0 <= minimum <= initial, got \(minimum) and \(initial)")
      precondition(steps > 0, "\(optimizer): cosine schedule length must be positive, got \(steps)")
    case .warmup(let steps, let then):
      precondition(steps > 0, "\(optimizer): warmup length must be positive, got \(steps)")
      then.validate(for: optimizer)
    }
  }
}
