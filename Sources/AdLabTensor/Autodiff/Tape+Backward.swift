extension Tape {
  /// Reverse-mode gradients of `output` with respect to every `variable` leaf that it depends on.
  ///
  /// - Parameter seed: the gradient of the output itself; defaults to 1 and is required unless `output` has one
  ///   element.
  /// - Throws: `TensorError.invalidShape` if the seed is missing or mis-shaped.
  /// - Complexity: one pass over the nodes from `output.index` down to 0. Gradients of intermediate nodes are
  ///   dropped as soon as they have been propagated.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func gradients(of output: Variable<Scalar>, seed: Tensor<Scalar>? = nil) throws(TensorError) -> Gradients<
    Scalar
  > {
    precondition(output.tape === self, "Tape.gradients: the output belongs to another tape")
    let outputShape = nodes[output.index].value.shape
    let start = seed ?? Tensor(shape: outputShape, repeating: 1)
    guard start.shape == outputShape, seed != nil || start.count == 1 else {
      throw .invalidShape(
        op: "gradients", shape: start.shape,
        reason: "is not a valid seed for an output of shape \(outputShape) (non-scalar outputs need a seed)")
    }
    let pass = BackwardPass(tape: self, count: output.index + 1)
    pass.grads[output.index] = start
    for index in stride(from: output.index, through: 0, by: -1) {
      guard nodes[index].requiresGradient, let g = pass.grads[index] else { continue }
      if case .leaf = nodes[index].operation {
        pass.result.dense[index] = g
        pass.result.shapes[index] = nodes[index].value.shape
      } else {
        pass.grads[index] = nil
        try pass.propagate(g, through: nodes[index])
      }
    }
    for (index, _) in pass.result.sparse { pass.result.shapes[index] = nodes[index].value.shape }
    return pass.result
  }
}

/// The state of one backward pass: pending gradients by node index, and the leaves' results.
final class BackwardPass<Scalar: TensorScalar> {
  let tape: Tape<Scalar>
  var grads: [Tensor<Scalar>?]
  var result = Gradients<Scalar>()

  init(tape: Tape<Scalar>, count: Int) {
    self.tape = tape
    self.grads = [Tensor<Scalar>?](repeating: nil, count: count)
  }

  func value(_ index: Int) -> Tensor<Scalar> { tape.nodes[index].value }
  func needs(_ index: Int) -> Bool { tape.nodes[index].requiresGradient }

  /// Adds `g` to the pending gradient of node `index` (if it needs one).
  func accumulate(_ g: @autoclosure () throws(TensorError) -> Tensor<Scalar>, into index: Int) throws(TensorError) {
    guard needs(index) else { return }
    let contribution = try g()
    if let existing = grads[index] {
      grads[index] = try existing + contribution
    } else {
      grads[index] = contribution
    }
  }

  /// Adds `g`, an output-shaped gradient of a broadcasting operation, summed back to node `index`'s shape.
  func accumulateReduced(_ g: @autoclosure () throws(TensorError) -> Tensor<Scalar>, into index: Int)
    throws(TensorError)
  {
    guard needs(index) else { return }
    let shape = value(index).shape
    try accumulate(try g().sum(toShape: shape), into: index)
  }

  func propagate(_ g: Tensor<Scalar>, through node: Tape<Scalar>.Node) throws(TensorError) {
    let out = node.value
    switch node.operation {
    case .leaf:
      break
    case .add(let a, let b):
      try accumulateReduced(g, into: a)
      try accumulateReduced(g, into: b)
    case .subtract(let a, let b):
      try accumulateReduced(g, into: a)
      try accumulateReduced(-g, into: b)
    case .multiply(let a, let b):
      try accumulateReduced(try g * value(b), into: a)
      try accumulateReduced(try g * value(a), into: b)
    case .divide(let a, let b):
      try accumulateReduced(try g / value(b), into: a)
      try accumulateReduced(try -(g * out) / value(b), into: b)
    case .addScalar(let a):
      try accumulate(g, into: a)
    case .multiplyScalar(let a, let c):
      try accumulate(g * c, into: a)
    case .negate(let a):
      try accumulate(-g, into: a)
    case .exp(let a):
      try accumulate(try g * out, into: a)
    case .log(let a):
      try accumulate(try g / value(a), into: a)
    case .square(let a):
      try accumulate(try g * value(a) * 2, into: a)
    case .relu(let a):
      try accumulate(try g.zip(value(a), ElementKernels.ReLUGrad.self, op: "relu′"), into: a)
    case .sigmoid(let a):
      try accumulate(try g.zip(out, ElementKernels.SigmoidGrad.self, op: "sigmoid′"), into: a)
    case .tanh(let a):
      try accumulate(try g.zip(out, ElementKernels.TanhGrad.self, op: "tanh′"), into: a)
    case .gelu(let a):
      try accumulate(try g.zip(value(a), ElementKernels.GELUGrad.self, op: "gelu′"), into: a)
    case .dropout(let a, let mask):
      try accumulate(try g * mask, into: a)
    case .matmul(let a, let b):
      // C = A·B: dA = dC·Bᵀ, dB = Aᵀ·dC (transposes are views GEMM reads in place).
      try accumulate(try g.matmul(value(b).transposed()), into: a)
      try accumulate(try value(a).transposed().matmul(g), into: b)
    case .batchedMatmul(let a, let b):
      try propagateBatchedMatmul(g, a, b)
    case .sum(let a):
      try accumulate(Tensor(shape: value(a).shape, repeating: g.scalar), into: a)
    case .mean(let a):
      let shape = value(a).shape
      try accumulate(Tensor(shape: shape, repeating: g.scalar / Scalar(Swift.max(1, shape.reduce(1, *)))), into: a)
    case .sumAxis(let a, let axis, let keepDims):
      try accumulate(try expand(g, axis: axis, keepDims: keepDims, to: value(a).shape), into: a)
    case .meanAxis(let a, let axis, let keepDims):
      let shape = value(a).shape
      try accumulate(try expand(g, axis: axis, keepDims: keepDims, to: shape) / Scalar(shape[axis]), into: a)
    case .maxAxis(let a, let axis, let keepDims):
      try accumulate(try routeToMaxima(g, input: value(a), axis: axis), into: a)
      _ = keepDims
    case .logSumExp(let a, let axis, let keepDims):
      // d/dx log Σ exp(x) = softmax(x).
      let input = value(a)
      try accumulate(
        try expand(g, axis: axis, keepDims: keepDims, to: input.shape) * input.softmax(axis: axis), into: a)
    case .softmax(let a, let axis):
      // dx = y · (g − Σ g·y).
      let gy = try g * out
      try accumulate(try gy - out * gy.sum(axis: axis, keepDims: true), into: a)
    case .logSoftmax(let a, let axis):
      // dx = g − softmax(x) · Σ g.
      try accumulate(try g - out.exp() * g.sum(axis: axis, keepDims: true), into: a)
    case .layerNorm(let x, let gamma, let beta, let mean, let inverseDeviation):
      try propagateLayerNorm(g, x: x, gamma: gamma, beta: beta, mean: mean, inverseDeviation: inverseDeviation)
    case .gather(let a, let indices):
      if case .leaf = tape.nodes[a].operation {
        if needs(a) { result.sparse[a, default: []].append((indices, g)) }
      } else {
        var table = Tensor<Scalar>.zeros(value(a).shape)
        try table.scatterAdd(rows: indices, values: g)
        try accumulate(table, into: a)
      }
    case .concatenate(let inputs, let axis):
      var start = 0
      for input in inputs {
        let width = value(input).shape[axis]
        try accumulate(try g.slice(axis: axis, start..<(start + width)).contiguous(), into: input)
        start += width
      }
    case .reshape(let a):
      try accumulate(try g.reshaped(value(a).shape), into: a)
    case .permute(let a, let axes):
      var inverse = axes
      for (position, axis) in axes.enumerated() { inverse[axis] = position }
      try accumulate(try g.permuted(inverse).contiguous(), into: a)
    case .slice(let a, let axis, let range):
      let shape = value(a).shape
      var before = shape
      var after = shape
      before[axis] = range.lowerBound
      after[axis] = shape[axis] - range.upperBound
      try accumulate(try Tensor.concatenate([.zeros(before), g, .zeros(after)], axis: axis), into: a)
    case .broadcast(let a):
      try accumulateReduced(g, into: a)
    case .sigmoidCrossEntropy(let a, let targets):
      let scale = g.scalar / Scalar(Swift.max(1, targets.count))
      try accumulate(try (value(a).sigmoid() - targets) * scale, into: a)
    case .meanSquaredError(let a, let targets):
      let scale = 2 * g.scalar / Scalar(Swift.max(1, targets.count))
      try accumulate(try (value(a) - targets) * scale, into: a)
    }
  }

  /// `g` (the reduced shape) repeated along `axis` to `shape`.
  func expand(_ g: Tensor<Scalar>, axis: Int, keepDims: Bool, to shape: [Int]) throws(TensorError) -> Tensor<Scalar> {
    let kept = keepDims ? g : try g.expandingShape(at: axis)
    return try kept.broadcasted(to: shape).contiguous()
  }

  /// A tensor shaped like `input`, zero except at the first maximum along `axis`, which gets `g`.
  func routeToMaxima(_ g: Tensor<Scalar>, input: Tensor<Scalar>, axis: Int) throws(TensorError) -> Tensor<Scalar> {
    let positions = try input.argmax(axis: axis)
    let (outer, n, inner) = input.layout(axis: axis)
    var routed = Tensor<Scalar>.zeros(input.shape)
    let upstream = g.scalars
    routed.withUnsafeMutableBufferPointer { buffer in
      for o in 0..<outer {
        for j in 0..<inner {
          buffer[(o * n + positions[o * inner + j]) * inner + j] = upstream[o * inner + j]
        }
      }
    }
    return routed
  }

  func propagateBatchedMatmul(_ g: Tensor<Scalar>, _ a: Int, _ b: Int) throws(TensorError) {
    let lhs = value(a)
    let rhs = value(b)
    if rhs.rank == 2 {
      // Shared right matrix: stack the batch into rows, one GEMM each.
      let batch = lhs.shape[0]
      let m = lhs.shape[1]
      let k = lhs.shape[2]
      let n = rhs.shape[1]
      let rows = try g.contiguous().reshaped([batch * m, n])
      try accumulate(try rows.matmul(rhs.transposed()).reshaped([batch, m, k]), into: a)
      try accumulate(try lhs.contiguous().reshaped([batch * m, k]).transposed().matmul(rows), into: b)
    } else {
      try accumulate(try g.batchedMatmul(rhs.transposed()), into: a)
      try accumulate(try lhs.transposed().batchedMatmul(g), into: b)
    }
  }

  /// Layer norm backward over rows of length d, with x̂ = (x − mean)·rstd:
  /// ```
  /// dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)),  ĝ = g · gamma
  /// dgamma = Σ_rows g · x̂,   dbeta = Σ_rows g
  /// ```
  func propagateLayerNorm(
    _ g: Tensor<Scalar>, x: Int, gamma: Int, beta: Int, mean: [Scalar], inverseDeviation: [Scalar]
  ) throws(TensorError) {
    let input = value(x).contiguous()
    let scale = value(gamma).contiguous()
    let upstream = g.contiguous()
    let d = input.shape[input.rank - 1]
    let rows = mean.count
    var dx = Tensor<Scalar>(uninitializedShape: input.shape)
    let dgamma = Tensor<Scalar>.zeros([d])
    let dbeta = Tensor<Scalar>.zeros([d])
    withExtendedLifetime((input, scale, upstream)) {
      let xs = input.basePointer
      let gs = upstream.basePointer
      let w = scale.basePointer
      let dxs = dx.basePointer
      let dw = dgamma.basePointer
      let db = dbeta.basePointer
      for row in 0..<rows {
        let xr = xs + row * d
        let gr = gs + row * d
        let out = dxs + row * d
        let m = mean[row]
        let r = inverseDeviation[row]
        var sumG: Scalar = 0
        var sumGX: Scalar = 0
        for j in 0..<d {
          let xhat = (xr[j] - m) * r
          let ghat = gr[j] * w[j]
          sumG += ghat
          sumGX += ghat * xhat
          dw[j] += gr[j] * xhat
          db[j] += gr[j]
        }
        let meanG = sumG / Scalar(d)
        let meanGX = sumGX / Scalar(d)
        for j in 0..<d {
          let xhat = (xr[j] - m) * r
          out[j] = r * (gr[j] * w[j] - meanG - xhat * meanGX)
        }
      }
    }
    if rows == 0 { dx = Tensor.zeros(input.shape) }
    try accumulate(dx, into: x)
    try accumulate(dgamma, into: gamma)
    try accumulate(dbeta, into: beta)
  }
}
