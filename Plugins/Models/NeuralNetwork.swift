import AdLabCore
import AdLabTensor

/// A model built from tensor-core operations: its parameters in a fixed order and a forward pass on a `Tape`.
/// A network is made together with its initial parameters (a `ParameterTable`); `NeuralInterestModel` owns
/// them, trains them with Adam and turns the pair into an `InterestModel`.
protocol NeuralNetwork {
  associatedtype Scalar: TensorScalar
  /// Parameter names, in the order `forward` receives the parameters as variables (checkpoint names).
  var parameterNames: [String] { get }
  /// The features the network reads (hashing included).
  var encoder: FeatureEncoder { get }
  /// Whether `forward` returns a conversion logit.
  var hasConversionHead: Bool { get }
  /// Logits of every encoded row: the click head, and the conversion head (pCVR given a click) when it has one.
  func forward(_ rows: EncodedRows, _ p: [Variable<Scalar>], tape: Tape<Scalar>) throws -> NetworkHeads<Scalar>
}

/// The outputs of a forward pass, each shaped `[rows]`.
struct NetworkHeads<Scalar: TensorScalar> {
  var click: Variable<Scalar>
  var conversion: Variable<Scalar>?
}

/// Named parameter tensors collected while a network is built; `add` returns the position `forward` finds it at.
struct ParameterTable<Scalar: TensorScalar> {
  var names: [String] = []
  var tensors: [Tensor<Scalar>] = []

  mutating func add(_ name: String, _ tensor: Tensor<Scalar>) -> Int {
    precondition(!names.contains(name), "parameter '\(name)' added twice")
    names.append(name)
    tensors.append(tensor)
    return tensors.count - 1
  }

  /// A hashed embedding table `[rows, width]`, uniform in ±0.05.
  mutating func embedding(_ name: String, rows: Int, width: Int, key: StreamKey) -> Int {
    add(name, Tensor(shape: [rows, width], initializer: .uniform(low: -0.05, high: 0.05), key: key.child(name)))
  }
}

/// A multilayer perceptron: `sizes[0]` inputs, ReLU after every layer but the last, which is linear.
struct MLP {
  var layers: [(weight: Int, bias: Int)] = []

  init<Scalar>(_ name: String, sizes: [Int], key: StreamKey, into table: inout ParameterTable<Scalar>) {
    for l in 0..<(sizes.count - 1) {
      let weight = table.add(
        "\(name).\(l).weight",
        Tensor(shape: [sizes[l], sizes[l + 1]], initializer: .glorotUniform, key: key.child(name).child(l)))
      let bias = table.add("\(name).\(l).bias", Tensor.zeros([sizes[l + 1]]))
      layers.append((weight, bias))
    }
  }

  func callAsFunction<Scalar>(_ input: Variable<Scalar>, _ p: [Variable<Scalar>]) throws -> Variable<Scalar> {
    var h = input
    for (l, layer) in layers.enumerated() {
      h = try h.matmul(p[layer.weight]) + p[layer.bias]
      if l < layers.count - 1 { h = h.relu() }
    }
    return h
  }
}

extension EncodedRows {
  /// Categorical buckets of the given encoded fields, row-major (`count × fields.count`), for `gather`.
  func buckets(fields: Range<Int>, of total: Int) -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(count * fields.count)
    for r in 0..<count {
      out.append(contentsOf: categorical[(r * total + fields.lowerBound)..<(r * total + fields.upperBound)])
    }
    return out
  }

  /// Dense columns `columns` of each row as a `[count, columns.count]` tensor.
  func denseTensor<Scalar: TensorScalar>(_ columns: Range<Int>, width: Int) -> Tensor<Scalar> {
    var out: [Scalar] = []
    out.reserveCapacity(count * columns.count)
    for r in 0..<count { for c in columns { out.append(Scalar(dense[r * width + c])) } }
    return Tensor(shape: [count, columns.count], scalars: out)
  }
}

extension Variable {
  /// Rows of an embedding table for `buckets` (`count × fields` of them), as `[count, fields · width]`.
  func embedded(_ buckets: [Int], rows count: Int) throws -> Variable {
    let width = shape[1]
    return try gather(rows: buckets).reshaped([count, buckets.count / Swift.max(count, 1) * width])
  }
}
