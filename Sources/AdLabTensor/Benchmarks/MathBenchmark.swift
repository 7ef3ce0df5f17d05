import AdLabBench

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

  /// Best time of 5 passes of `body` over the `count` arguments, in nanoseconds per element.
  static func nanoseconds(_ body: () -> Void) -> Double {
    BenchTiming.measure(warmup: 0, repeats: 5, body).best * 1e9 / Double(count)
  }

  public static func run(print: (String) -> Void) {
    let cases: [(AdLabMath.Function, (Double) -> Double, Double, Double)] = [
      (.exp, { exp($0) }, -20, 20), (.expm1, { expm1($0) }, -2, 2), (.log, { log($0) }, 1e-3, 1e3),
      (.log1p, { log1p($0) }, -0.5, 4), (.tanh, { tanh($0) }, -4, 4), (.sigmoid, { 1 / (1 + exp(-$0)) }, -8, 8),
      (.erf, { erf($0) }, -4, 4),
    ]
    var table = BenchTable(
      title: "AdLabMath vs libm (Double, ns per call, best of 5 over \(count) arguments):",
      label: "function", figures: ["AdLabMath scalar", "AdLabMath batch", "libm"])
    var input = [Double](repeating: 0, count: count)
    var output = [Double](repeating: 0, count: count)
    var sink = 0.0
    for (function, libm, low, high) in cases {
      for i in 0..<count { input[i] = low + (high - low) * Double(i) / Double(count) }
      let scalar = nanoseconds { for i in 0..<count { output[i] = function(input[i]) } }
      sink += output[count / 3]
      let batch = nanoseconds {
        input.withUnsafeBufferPointer { x in
          output.withUnsafeMutableBufferPointer { AdLabMath.apply(function, x, into: $0) }
        }
      }
      sink += output[count / 2]
      let reference = nanoseconds { for i in 0..<count { output[i] = libm(input[i]) } }
      sink += output[count / 4]
      table.add([function.rawValue] + [scalar, batch, reference].map { BenchFormat.fixed($0) })
    }
    table.print(to: print)
    if sink.isNaN { print("(sink \(sink))") }
    runFloatBatches(print: print)
  }

  /// The Float batch forms per kernel class (the vectorised ones the models run), ns per element.
  static func runFloatBatches(print: (String) -> Void) {
    let classes = KernelClass.supported
    var table = BenchTable(
      title: "AdLabMath Float batch form per kernel class (ns per element, best of 5 over \(count) arguments):",
      label: "function", figures: classes.map(\.rawValue))
    var input = [Float](repeating: 0, count: count)
    var output = [Float](repeating: 0, count: count)
    var sink: Float = 0
    let cases: [(AdLabMath.Function, Float, Float)] = [
      (.exp, -20, 20), (.log, 1e-3, 1e3), (.tanh, -4, 4), (.sigmoid, -8, 8), (.erf, -4, 4),
    ]
    for (function, low, high) in cases {
      for i in 0..<count { input[i] = low + (high - low) * Float(i) / Float(count) }
      var row = [function.rawValue]
      for kernels in classes {
        let time = nanoseconds {
          input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { AdLabMath.apply(function, x, into: $0, kernels: kernels) }
          }
        }
        sink += output[count / 3]
        row.append(BenchFormat.fixed(time))
      }
      table.add(row)
    }
    table.print(to: print)
    if sink.isNaN { print("(sink \(sink))") }
  }
}
