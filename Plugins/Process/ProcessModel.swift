import AdLabCore
import Foundation

/// An interest model that runs in a child process, over the same protocol as `ProcessPolicy` (handshake kind 2):
/// `predict` per batch (the batch → pCTR and, when the model has a conversion head, pCVR for every candidate) and
/// `learn` with the shown ads and their outcome columns. Replies are checked (count, probabilities in [0, 1]);
/// failures stop the job through `failure`, as for the policy.
public final class ProcessModel: InterestModel, FailureReportingPlugin {
  public struct Params: ProcessPluginParameters {
    public var command = ProcessCommand()
    public var timeout = 30.0
    public var pinnedDigests: [String] = []
    public var predictsConversions = false

    public init() {}

    public static var fields: [ParameterField<Params>] {
      commonFields + [
        .init(
          "predicts_conversions", \.predictsConversions,
          doc: "whether the child returns pCVR too (then objectives on conversions may use this model)")
      ]
    }
  }

  public let predictsConversions: Bool
  private let connection: ProcessConnection
  public private(set) var failure: (any Error)?

  public init(_ params: Params, context: PluginContext) throws {
    predictsConversions = params.predictsConversions
    let origin = ProcessPluginOrigin(
      variant: context.variant, plugin: "model 'process'", command: params.command.arguments)
    connection = try ProcessConnection(command: params.command.arguments, origin: origin, timeout: params.timeout)
    try connection.hello(kind: .model, context: context, plugin: "process")
  }

  public func predict(_ batch: DecisionBatch, into predictions: inout Predictions) {
    guard failure == nil else { return }
    let count = batch.count * batch.candidateCount
    do {
      connection.writer.start(.predict)
      connection.writer.batch(batch, propensitiesWanted: false)
      connection.writer.finish()
      var reply = try connection.exchange(.predict, during: "predict")
      if predictions.click.count != count { predictions.click = [Double](repeating: 0, count: count) }
      try connection.reading("predict") {
        let sent = Int(try reply.u32())
        guard sent == count else {
          throw connection.violation(
            "predict",
            "\(sent) predictions for \(batch.count) decisions × \(batch.candidateCount) candidates = \(count)")
        }
        try predictions.click.withUnsafeMutableBufferPointer { try reply.doubles(count, into: $0) }
        let hasConversions = try reply.u8() != 0
        if hasConversions != predictsConversions {
          throw connection.violation(
            "predict",
            hasConversions
              ? "pCVR sent but params.predicts_conversions is false"
              : "no pCVR sent but params.predicts_conversions is true")
        }
        if hasConversions {
          if predictions.conversion.count != count { predictions.conversion = [Double](repeating: 0, count: count) }
          try predictions.conversion.withUnsafeMutableBufferPointer { try reply.doubles(count, into: $0) }
        }
        guard reply.remaining == 0 else {
          throw connection.violation("predict", "\(reply.remaining) bytes after the predictions")
        }
      }
      for (name, column) in [("pCTR", predictions.click), ("pCVR", predictions.conversion)] {
        if let i = column.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
          throw connection.violation("predict", "\(name) \(column[i]) at entry \(i); probabilities must be in [0, 1]")
        }
      }
    } catch {
      failure = error
      predictions.click = [Double](repeating: 0, count: count)
      predictions.conversion = predictsConversions ? predictions.click : []
    }
  }

  public func learn(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, outcomes: OutcomeBatch) {
    guard failure == nil else { return }
    let entries = batch.actionCount
    do {
      connection.writer.start(.learn)
      connection.writer.batch(batch, propensitiesWanted: false)
      connection.writer.array(actions)
      for column in [
        outcomes.impressions, outcomes.clicks, outcomes.conversions, outcomes.revenue, outcomes.margin,
        outcomes.cost, outcomes.frequency,
      ] {
        connection.writer.array(column, count: entries)
      }
      connection.writer.finish()
      let reply = try connection.exchange(.learn, during: "learn")
      guard reply.remaining == 0 else {
        throw connection.violation("learn", "\(reply.remaining) unexpected bytes after the acknowledgement")
      }
    } catch {
      failure = error
    }
  }

  /// The child's process id.
  var processID: Int32 { connection.processID }
}
