import AdLabCore
import AdLabTensor

/// How a network's conversion head learns pCVR (the probability of a conversion given a click).
enum ConversionLearning: String, EnumParameter {
  /// No conversion head.
  case none
  /// Log loss of pCVR on clicked rows only (the conversion label exists only after a click).
  case clicked
  /// ESMM (Ma et al. 2018): pCTCVR = pCTR · pCVR is fitted to click∧conversion on every impression, so pCVR is
  /// learned over the whole impression space without a sample-selection bias.
  case esmm
}

/// An `InterestModel` made of a `NeuralNetwork`: encodes the batch, runs the network on a fresh tape, and learns
/// with Adam (lazy row updates for embedding tables) from the shown ads' clicks (and conversions).
final class NeuralInterestModel<Network: NeuralNetwork>: InterestModel, ResumableModel {
  let network: Network
  let conversion: ConversionLearning
  var parameters: [Tensor<Network.Scalar>]
  var optimizer: Adam<Network.Scalar>
  private var rows = EncodedRows()

  init(
    network: Network, parameters: ParameterTable<Network.Scalar>, learningRate: Double,
    conversion: ConversionLearning = .none
  ) {
    precondition(network.hasConversionHead == (conversion != .none), "a conversion head needs a conversion loss")
    precondition(network.parameterNames == parameters.names, "the network's parameters are the table it was built with")
    self.network = network
    self.conversion = conversion
    self.parameters = parameters.tensors
    optimizer = Adam(learningRate: .constant(learningRate))
  }

  var predictsConversions: Bool { conversion != .none }

  func predict(_ batch: DecisionBatch, into predictions: inout Predictions) {
    guard batch.count > 0 else { return }
    network.encoder.encode(batch, .all(batch), into: &rows)
    let tape = Tape<Network.Scalar>()
    do {
      let heads = try network.forward(rows, parameters.map { tape.constant($0) }, tape: tape)
      let click = heads.click.value.sigmoid().scalars
      for r in click.indices { predictions.click[r] = click[r].doubleValue }
      if let head = heads.conversion, !predictions.conversion.isEmpty {
        let conversion = head.value.sigmoid().scalars
        for r in conversion.indices { predictions.conversion[r] = conversion[r].doubleValue }
      }
    } catch {
      preconditionFailure("\(Network.self): \(error)")  // shapes are fixed by the schema
    }
  }

  func learn(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, outcomes: OutcomeBatch) {
    guard batch.count > 0 else { return }
    network.encoder.encode(batch, .shown(batch, actions), into: &rows)
    let clicks = (0..<batch.count).map { outcomes.clicks[$0] > 0 ? Network.Scalar(1) : 0 }
    let conversions = (0..<batch.count).map { outcomes.conversions[$0] > 0 ? Network.Scalar(1) : 0 }
    let gradients: [ParameterGradient<Network.Scalar>]
    do {
      gradients = try lossAndGradients(rows, clicks: clicks, conversions: conversions).gradients
    } catch {
      preconditionFailure("\(Network.self): \(error)")
    }
    // The tape is gone, so the update writes the parameters in place.
    optimizer.update(&parameters, gradients: gradients)
  }

  /// The training loss of encoded rows and its gradient for every parameter.
  ///
  /// ```
  /// loss = BCE(click logit, click) + { clicked: BCE(cvr logit, conversion) over clicked rows;
  ///                                    esmm:    BCE(pCTR · pCVR, click ∧ conversion) over all rows }
  /// ```
  func lossAndGradients(
    _ rows: EncodedRows, clicks: [Network.Scalar], conversions: [Network.Scalar]
  ) throws -> (loss: Network.Scalar, gradients: [ParameterGradient<Network.Scalar>]) {
    let tape = Tape<Network.Scalar>()
    let variables = parameters.map { tape.variable($0) }
    let heads = try network.forward(rows, variables, tape: tape)
    let n = rows.count
    var loss = try heads.click.sigmoidCrossEntropy(targets: Tensor(shape: [n], scalars: clicks))
    if let head = heads.conversion {
      switch conversion {
      case .none:
        break
      case .clicked:
        let clicked = (0..<n).filter { clicks[$0] > 0 }
        if !clicked.isEmpty {
          let logits = try head.reshaped([n, 1]).gather(rows: clicked).reshaped([clicked.count])
          loss =
            try loss
            + logits.sigmoidCrossEntropy(
              targets: Tensor(shape: [clicked.count], scalars: clicked.map { conversions[$0] }))
        }
      case .esmm:
        let targets = Tensor(shape: [n], scalars: (0..<n).map { clicks[$0] * conversions[$0] })
        let p = try heads.click.sigmoid() * head.sigmoid()
        let epsilon = Network.Scalar(1e-7)
        let positive = try tape.constant(targets) * (p + epsilon).log()
        let negative = try (1 - tape.constant(targets)) * ((1 + epsilon) - p).log()
        loss = try loss - (positive + negative).mean()
      }
    }
    let gradients = try tape.gradients(of: loss)
    return (loss.value.scalar, variables.map { gradients.parameterGradient($0) })
  }

  func checkpoint() -> Checkpoint {
    var checkpoint = Checkpoint()
    for (name, tensor) in zip(network.parameterNames, parameters) { checkpoint.set(name, tensor) }
    return checkpoint
  }

  func restore(from checkpoint: Checkpoint) throws {
    parameters = try zip(network.parameterNames, parameters).map { name, tensor in
      try checkpoint.tensor(name, as: Network.Scalar.self, shape: tensor.shape)
    }
  }

  func trainingState() -> Checkpoint {
    var state = checkpoint()
    state.insert(optimizer.state(), prefix: "adam.")
    return state
  }

  func restoreTrainingState(from checkpoint: Checkpoint) throws {
    try restore(from: checkpoint)
    try optimizer.restoreState(from: checkpoint.extracting(prefix: "adam."), shapes: parameters.map(\.shape))
  }
}
