/// The factor-vector loops of `FactorizationMachine`, eight lanes at a time when k is a multiple of 8 (SIMD8 is
/// an AVX register), else one element at a time. Lanes are combined in a fixed order, so results depend only on
/// k, never on threads. Element-wise operations (the Adagrad step) round exactly as the scalar code does.
enum FactorLanes {
  typealias Lanes = SIMD8<Float>
  static let zero = Lanes()

  @inline(__always)
  static func load(_ p: UnsafePointer<Float>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }

  @inline(__always)
  static func store(_ value: Lanes, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: value, as: Lanes.self)
  }

  /// `sums += x · row`, `squares += (x · row)²` (lane-wise partial sums).
  @inline(__always)
  static func accumulate(
    row: UnsafePointer<Float>, x: Float, sums: UnsafeMutablePointer<Float>, squares: inout Lanes, k: Int
  ) {
    if k & 7 == 0 {
      var c = 0
      while c < k {
        let vx = load(row + c) * x
        store(load(sums + c) + vx, sums + c)
        squares += vx * vx
        c &+= 8
      }
    } else {
      for f in 0..<k {
        let vx = row[f] * x
        sums[f] += vx
        squares[0] += vx * vx
      }
    }
  }

  /// Σ a·b over k elements (lane-wise partial sums, then the lanes in order).
  @inline(__always)
  static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, k: Int) -> Float {
    if k & 7 == 0 {
      var acc = zero
      var c = 0
      while c < k {
        acc += load(a + c) * load(b + c)
        c &+= 8
      }
      return acc.sum()
    }
    var total: Float = 0
    for f in 0..<k { total += a[f] * b[f] }
    return total
  }

  /// `gradient += dx · (sums − x · row)`: ∂logit/∂v = x (S − v x), scaled by dLoss/dlogit.
  @inline(__always)
  static func addGradient(
    into g: UnsafeMutablePointer<Float>, sums: UnsafePointer<Float>, row: UnsafePointer<Float>, x: Float, dx: Float,
    k: Int
  ) {
    if k & 7 == 0 {
      var c = 0
      while c < k {
        store(load(g + c) + dx * (load(sums + c) - load(row + c) * x), g + c)
        c &+= 8
      }
    } else {
      for f in 0..<k { g[f] += dx * (sums[f] - row[f] * x) }
    }
  }

  /// Adagrad on one factor row with L2: the same per-element operations as `Adagrad.step` with gradient g + l2·w.
  @inline(__always)
  static func adagrad(
    weights w: UnsafeMutablePointer<Float>, accumulators a: UnsafeMutablePointer<Float>,
    gradients g: UnsafePointer<Float>,
    l2: Float, rate: Float, k: Int
  ) {
    if k & 7 == 0 {
      let epsilon = Lanes(repeating: 1e-10)
      var c = 0
      while c < k {
        let weight = load(w + c)
        let grad = load(g + c) + l2 * weight
        let acc = load(a + c) + grad * grad
        store(acc, a + c)
        store(weight - rate * grad / (acc.squareRoot() + epsilon), w + c)
        c &+= 8
      }
    } else {
      for f in 0..<k {
        let grad = g[f] + l2 * w[f]
        a[f] += grad * grad
        w[f] -= rate * grad / (a[f].squareRoot() + 1e-10)
      }
    }
  }
}
