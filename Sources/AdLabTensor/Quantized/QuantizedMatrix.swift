internal import CAdLabKernels
import Dispatch

/// A read-only matrix of ggml-quantised rows (``QuantizedBlockFormat``) whose bytes live elsewhere, typically in
/// a memory-mapped model file that must outlive it.
///
/// ``multiply(_:vectors:into:kernels:threads:)`` is the float path: weights are dequantised on the fly and
/// multiplied with float activations. Each output element is computed by the same operations in the same order
/// (fixed per kernel class, see `CAdLabKernels.h`) whatever the number of vectors or threads, so a batch of
/// sequences gives the same bits as each sequence alone, and 1 thread the same as 7.
public struct QuantizedMatrix: @unchecked Sendable {
  /// The block format of every row.
  public let format: QuantizedBlockFormat
  /// Output rows (at least one).
  public let rows: Int
  /// Weights per row (a positive multiple of 32).
  public let columns: Int
  /// Bytes per row.
  public let rowBytes: Int
  private let base: UnsafeRawPointer

  /// Wraps `bytes` (not copied: they must stay valid while the matrix is used), checking the shape against them.
  public init(
    name: String, format: QuantizedBlockFormat, rows: Int, columns: Int, bytes: UnsafeRawBufferPointer
  ) throws(QuantizedMatrixError) {
    guard columns > 0, columns % QuantizedBlockFormat.blockLength == 0, rows > 0 else {
      throw .rowLengthNotBlockMultiple(name: name, columns: columns)
    }
    let rowBytes = columns / QuantizedBlockFormat.blockLength * format.blockBytes
    let (expected, overflow) = rowBytes.multipliedReportingOverflow(by: rows)
    guard !overflow, expected == bytes.count, let base = bytes.baseAddress else {
      throw .byteCountMismatch(name: name, expected: overflow ? Int.max : expected, actual: bytes.count)
    }
    self.format = format
    self.rows = rows
    self.columns = columns
    self.rowBytes = rowBytes
    self.base = base
  }

  /// Writes row `row` as floats into `out[0..<columns]` (the reference dequantisation of ``QuantizedBlockFormat``).
  public func dequantizeRow(_ row: Int, into out: UnsafeMutablePointer<Float>) {
    precondition(row >= 0 && row < rows, "row \(row) out of 0..<\(rows)")
    let start = base + row * rowBytes
    for block in 0..<(columns / QuantizedBlockFormat.blockLength) {
      format.dequantizeBlock(start + block * format.blockBytes, into: out + block * QuantizedBlockFormat.blockLength)
    }
  }

  /// `y[v·rows + r] = Σ_k W[r][k] · x[v·columns + k]` for every row `r` and each of `vectors` activation vectors
  /// (`x` holds `vectors × columns` floats, `y` receives `vectors × rows`). Rows are split between up to
  /// `threads` threads in contiguous ranges; the result does not depend on the split.
  public func multiply(
    _ x: UnsafePointer<Float>, vectors: Int, into y: UnsafeMutablePointer<Float>, kernels: KernelClass, threads: Int
  ) {
    multiply(x, vectors: vectors, inputStride: columns, into: y, outputStride: rows, kernels: kernels, threads: threads)
  }

  /// ``multiply(_:vectors:into:kernels:threads:)`` with explicit strides: vector `v` starts at `x + v·inputStride`
  /// and its outputs at `y + v·outputStride`.
  public func multiply(
    _ x: UnsafePointer<Float>, vectors: Int, inputStride: Int, into y: UnsafeMutablePointer<Float>,
    outputStride: Int, kernels: KernelClass, threads: Int
  ) {
    guard vectors > 0, rows > 0 else { return }
    let (parts, step) = partition(threads: threads, vectors: vectors)
    let (rows, columns, rowBytes) = (self.rows, self.columns, self.rowBytes)
    // Each part writes only its own rows of y, and the weights and x are read-only, so sharing is safe.
    nonisolated(unsafe) let kernel = Self.kernel(format, kernels)
    nonisolated(unsafe) let weights = base.assumingMemoryBound(to: UInt8.self)
    nonisolated(unsafe) let input = x
    nonisolated(unsafe) let output = y
    let run: @Sendable (Int) -> Void = { part in
      let first = part * step
      let count = Swift.min(step, rows - first)
      guard count > 0 else { return }
      kernel(weights + first * rowBytes, count, columns, input, inputStride, vectors, output + first, outputStride)
    }
    if parts == 1 {
      run(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: parts, execute: run)
    }
  }

  /// The 8-bit-activation product: `y[v·outputStride + r] = W[r] · activations[v]`, with the integer block sums of
  /// llama.cpp's CPU path (the per-element order is in `quant_int8.c`; x86-64-v3 and v4 give the same bits).
  /// Rows are split between up to `threads` threads; the result does not depend on the split.
  public func multiply(
    _ activations: QuantizedActivations, into y: UnsafeMutablePointer<Float>, outputStride: Int, kernels: KernelClass,
    threads: Int
  ) {
    precondition(
      activations.columns == columns, "activations have \(activations.columns) columns, the matrix \(columns)")
    guard activations.vectors > 0 else { return }
    let (rows, columns, rowBytes, vectors) = (self.rows, self.columns, self.rowBytes, activations.vectors)
    let isQ41: Int32 = format == .q4_1 ? 1 : 0
    let (parts, step) = partition(threads: threads, vectors: vectors)
    nonisolated(unsafe) let weights = base.assumingMemoryBound(to: UInt8.self)
    nonisolated(unsafe) let output = y
    let kernel:
      @convention(c) (
        UnsafePointer<UInt8>?, Int32, Int, Int, UnsafePointer<Int8>?, UnsafePointer<Float>?, UnsafePointer<Float>?, Int,
        UnsafeMutablePointer<Float>?, Int
      ) -> Void =
        switch kernels {
        case .portable: adlab_quant_matmul_q8_portable
        case .x86_64_v3: adlab_quant_matmul_q8_v3
        case .x86_64_v4: adlab_quant_matmul_q8_v4
        }
    activations.codes.withUnsafeBufferPointer { codes in
      activations.scales.withUnsafeBufferPointer { scales in
        activations.scaledSums.withUnsafeBufferPointer { sums in
          nonisolated(unsafe) let (q, d, s) = (codes.baseAddress, scales.baseAddress, sums.baseAddress)
          let run: @Sendable (Int) -> Void = { part in
            let first = part * step
            let count = Swift.min(step, rows - first)
            guard count > 0 else { return }
            kernel(weights + first * rowBytes, isQ41, count, columns, q, d, s, vectors, output + first, outputStride)
          }
          if parts == 1 {
            run(0)
          } else {
            DispatchQueue.concurrentPerform(iterations: parts, execute: run)
          }
        }
      }
    }
  }

  /// Splits the rows into `parts` contiguous ranges of `step` rows (the last may be shorter). A part gets at least
  /// 2^18 multiply-adds (~10 µs), below which waking a thread costs more than it saves (a decode step makes ~200
  /// small products), and at least 64 rows, a multiple of 16, which keeps the kernels' row tiles whole.
  private func partition(threads: Int, vectors: Int) -> (parts: Int, step: Int) {
    let work = rows * columns * vectors
    let parts = Swift.max(1, Swift.min(threads, (rows + 63) / 64, work >> 18))
    return (parts, ((rows + parts - 1) / parts + 15) / 16 * 16)
  }

  private typealias Kernel =
    @convention(c) (
      UnsafePointer<UInt8>?, Int, Int, UnsafePointer<Float>?, Int, Int, UnsafeMutablePointer<Float>?, Int
    ) -> Void

  private static func kernel(_ format: QuantizedBlockFormat, _ kernels: KernelClass) -> Kernel {
    switch (format, kernels) {
    case (.q4_1, .portable): return adlab_q41_matmul_f32_portable
    case (.q4_1, .x86_64_v3): return adlab_q41_matmul_f32_v3
    case (.q4_1, .x86_64_v4): return adlab_q41_matmul_f32_v4
    case (.q8_0, .portable): return adlab_q80_matmul_f32_portable
    case (.q8_0, .x86_64_v3): return adlab_q80_matmul_f32_v3
    case (.q8_0, .x86_64_v4): return adlab_q80_matmul_f32_v4
    }
  }
}
