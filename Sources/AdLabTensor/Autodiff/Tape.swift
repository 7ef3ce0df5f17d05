/// A reverse-mode autodiff tape: the record of one forward computation, as an array of value-type nodes that
/// refer to their inputs by index.
///
/// ```swift
/// let tape = Tape<Double>()
/// let w = tape.variable(weights)              // a leaf whose gradient is wanted
/// let x = tape.constant(features)             // a leaf without gradient
/// let loss = try x.matmul(w).sigmoidCrossEntropy(targets: labels)
/// let grads = try tape.gradients(of: loss)
/// let dw = grads[w]                            // Tensor<Double>, shape of `weights`
/// ```
///
/// Nodes are appended in execution order, so every node's inputs have smaller indices; the backward pass walks the
/// array once from the output down to 0, which fixes the order in which gradient contributions are added
/// (descending node index, and a node's inputs in argument order). A tape is for one forward/backward pass; make a
/// new one per training step (or call `reset()`). Not thread-safe: use one tape per task.
public final class Tape<Scalar: TensorScalar> {
  var nodes: [Node] = []

  public init() {}

  /// The number of recorded nodes.
  public var count: Int { nodes.count }

  /// A leaf whose gradient `gradients(of:)` reports (a parameter).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func variable(_ value: Tensor<Scalar>) -> Variable<Scalar> {
    append(Node(value: value, operation: .leaf, requiresGradient: true))
  }

  /// A leaf without gradient (inputs, targets). Operations on constants only are not differentiated.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func constant(_ value: Tensor<Scalar>) -> Variable<Scalar> {
    append(Node(value: value, operation: .leaf, requiresGradient: false))
  }

  /// Forgets every node, keeping the array's capacity. Variables of this tape become invalid.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func reset() {
    nodes.removeAll(keepingCapacity: true)
  }

  // MARK: - Implementation details

  struct Node {
    var value: Tensor<Scalar>
    var operation: Operation
    var requiresGradient: Bool
  }

  /// What produced a node: the operation, its input indices, and what the backward pass needs.
  enum Operation {
    case leaf
    case add(Int, Int)
    case subtract(Int, Int)
    case multiply(Int, Int)
    case divide(Int, Int)
    case addScalar(Int)
    case multiplyScalar(Int, Scalar)
    case negate(Int)
    case exp(Int)
    case log(Int)
    case square(Int)
    case relu(Int)
    case sigmoid(Int)
    case tanh(Int)
    case gelu(Int)
    case matmul(Int, Int)
    case batchedMatmul(Int, Int)
    case sum(Int)
    case mean(Int)
    case sumAxis(Int, axis: Int, keepDims: Bool)
    case meanAxis(Int, axis: Int, keepDims: Bool)
    case maxAxis(Int, axis: Int, keepDims: Bool)
    case logSumExp(Int, axis: Int, keepDims: Bool)
    case softmax(Int, axis: Int)
    case logSoftmax(Int, axis: Int)
    case layerNorm(x: Int, gamma: Int, beta: Int, mean: [Scalar], inverseDeviation: [Scalar])
    case gather(Int, indices: [Int])
    case concatenate([Int], axis: Int)
    case reshape(Int)
    case permute(Int, axes: [Int])
    case slice(Int, axis: Int, range: Range<Int>)
    case broadcast(Int)
    case dropout(Int, mask: Tensor<Scalar>)
    case sigmoidCrossEntropy(Int, targets: Tensor<Scalar>)
    case meanSquaredError(Int, targets: Tensor<Scalar>)
  }

  func append(_ node: Node) -> Variable<Scalar> {
    nodes.append(node)
    return Variable(tape: self, index: nodes.count - 1)
  }

  /// Appends the result of an operation on `inputs`; it needs a gradient if any input does.
  func record(_ value: Tensor<Scalar>, _ operation: Operation, _ inputs: Variable<Scalar>...) -> Variable<Scalar> {
    var requires = false
    for input in inputs {
      precondition(input.tape === self, "Tape: a variable from another tape was used")
      requires = requires || nodes[input.index].requiresGradient
    }
    return append(Node(value: value, operation: operation, requiresGradient: requires))
  }

  func record(_ value: Tensor<Scalar>, _ operation: Operation, inputs: [Variable<Scalar>]) -> Variable<Scalar> {
    var requires = false
    for input in inputs {
      precondition(input.tape === self, "Tape: a variable from another tape was used")
      requires = requires || nodes[input.index].requiresGradient
    }
    return append(Node(value: value, operation: operation, requiresGradient: requires))
  }
}

/// A handle to one value on a `Tape`: the tape and the node's index. Cheap to copy.
public struct Variable<Scalar: TensorScalar> {
  /// The tape that recorded this value.
  public let tape: Tape<Scalar>
  /// The node's position on the tape.
  public let index: Int

  /// The value computed in the forward pass.
  public var value: Tensor<Scalar> { tape.nodes[index].value }
  /// The value's shape.
  public var shape: [Int] { tape.nodes[index].value.shape }
  /// Whether a gradient flows into this value from some `variable` leaf.
  public var requiresGradient: Bool { tape.nodes[index].requiresGradient }
}
