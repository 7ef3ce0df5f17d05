#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `adlab bench tensor`'s math tables: ns per call of AdLabMath (scalar loop and batch form) against the C library,
/// for Double, and the Float batch forms per kernel class, over 2^16 arguments spread across each function's usual
/// range; best of 5 passes.
public enum MathBenchmark {
  static let count = 1 << 16

  /// Best time of `passes` runs of `body`, in nanoseconds per element.
  static func nanoseconds(passes: Int = 5, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    var best = Double.infinity
    for _ in 0..<passes {
      let start = clock.now
      body()
      let d = start.duration(to: clock.now).components
      best = Swift.min(best, (Double(d.seconds) * 1e9 + Double(d.attoseconds) * 1e-9) / Double(count))
    }
    return best
  }

  public static func run(print: (String) -> Void) {
    let cases: [(AdLabMath.Function, (Double) -> Double, Double, Double)] = [
      (.exp, { exp($0) }, -20, 20), (.expm1, { expm1($0) }, -2, 2), (.log, { log($0) }, 1e-3, 1e3),
      (.log1p, { log1p($0) }, -0.5, 4), (.tanh, { tanh($0) }, -4, 4), (.sigmoid, { 1 / (1 + exp(-$0)) }, -8, 8),
      (.erf, { erf($0) }, -4, 4),
    ]
    print("AdLabMath vs libm (Double, ns per call, best of 5 over \(count) arguments):")
    print("function   AdLabMath scalar   AdLabMath batch   libm")
    var input = [Double](repeating: 0, count: count)
    var output = [Double](repeating: 0, count: count)
    var sink = 0.0
    for (function, libm, low, high) in cases {
      for i in 0..<count { input[i] = low + (high - low) * Double(i) / Double(count) }
      let scalar = nanoseconds { for i in 0..<count { output[i] = function(input[i]) } }
      sink += output[count / 3]
      let batch = nanoseconds {
        input.withUnsafeBufferPointer { x in output.withUnsafeMutableBufferPointer { AdLabMath.apply(function, x, into: $0) } }
      }
      sink += output[count / 2]
      let reference = nanoseconds { for i in 0..<count { output[i] = libm(input[i]) } }
      sink += output[count / 4]
      print(
        function.rawValue.padding(to: 11) + fixed(scalar).leftPadded(to: 16) + fixed(batch).leftPadded(to: 18)
          + fixed(reference).leftPadded(to: 7))
    }
    if sink.isNaN { print("(sink \(sink))") }
    runFloatBatches(print: print)
  }

  /// The Float batch forms per kernel class (the vectorised ones the models run), ns per element.
  static func runFloatBatches(print: (String) -> Void) {
    let classes = KernelClass.supported
    print("AdLabMath Float batch form per kernel class (ns per element, best of 5 over \(count) arguments):")
    print("function   " + classes.map { $0.rawValue.leftPadded(to: 12) }.joined())
    var input = [Float](repeating: 0, count: count)
    var output = [Float](repeating: 0, count: count)
    var sink: Float = 0
    let cases: [(AdLabMath.Function, Float, Float)] = [
      (.exp, -20, 20), (.log, 1e-3, 1e3), (.tanh, -4, 4), (.sigmoid, -8, 8), (.erf, -4, 4),
    ]
    for (function, low, high) in cases {
      for i in 0..<count { input[i] = low + (high - low) * Float(i) / Float(count) }
      var line = function.rawValue.padding(to: 11)
      for kernels in classes {
        let time = nanoseconds {
          input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { AdLabMath.apply(function, x, into: $0, kernels: kernels) }
          }
        }
        sink += output[count / 3]
        line += fixed(time).leftPadded(to: 12)
      }
      print(line)
    }
    if sink.isNaN { print("(sink \(sink))") }
  }

  static func fixed(_ v: Double) -> String {
    let tenths = Int((v * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
  }
}

extension String {
  fileprivate func padding(to width: Int) -> String { self + String(repeating: " ", count: Swift.max(0, width - count)) }
  fileprivate func leftPadded(to width: Int) -> String { String(repeating: " ", count: Swift.max(0, width - count)) + self }
}
