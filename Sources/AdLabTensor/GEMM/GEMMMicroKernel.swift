/// A register-blocked GEMM micro-kernel and the block sizes tuned for it.
///
/// The kernel updates one `mr × nr` tile of `C` from a packed `A` micro-panel and a packed
/// `B` sliver:
/// - packed `A`: for each `p` in `0 ..< kc`, `mr` elements, each repeated `lanes` times
///   (pre-broadcast, so the kernel loads it as a SIMD vector instead of shuffling);
/// - packed `B`: for each `p`, `nr` contiguous elements;
/// - both 64-byte aligned, padded with zeros past the matrix edge.
///
/// For every tile element it performs `c = start(C); for p in 0..<kc { c = c + a[p] * b[p] }`
/// with separate multiply and add roundings, then stores `c`.
protocol GEMMMicroKernel: SendableMetatype {
  associatedtype Scalar: BinaryFloatingPoint & Sendable

  /// Tile rows (register block height).
  static var mr: Int { get }
  /// Tile columns (register block width).
  static var nr: Int { get }
  /// Copies of each packed `A` element (the SIMD width used for the broadcast operand).
  static var lanes: Int { get }
  /// The cache blocking tuned for this kernel.
  static var blocking: GEMMBlocking { get }

  /// Writes `value` to `lanes` consecutive elements at `dst` (16-byte aligned).
  static func splat(_ value: Scalar, to dst: UnsafeMutablePointer<Scalar>)

  /// Copies `nr` consecutive elements from `src` (any alignment) to `dst` (16-byte aligned).
  static func copySliverRow(from src: UnsafePointer<Scalar>, to dst: UnsafeMutablePointer<Scalar>)

  /// Updates the `mr × nr` tile at `c` (row stride `ldc`); see the type's contract.
  static func kernel(
    kc: Int, a: UnsafePointer<Scalar>, b: UnsafePointer<Scalar>,
    c: UnsafeMutablePointer<Scalar>, ldc: Int, beta: Scalar, start: GEMMTileStart)
}

@inline(__always)
func loadVector<V: SIMD>(_ p: UnsafePointer<V.Scalar>, _ offset: Int, as _: V.Type) -> V {
  UnsafeRawPointer(p + offset).load(as: V.self)
}

@inline(__always)
func loadVectorUnaligned<V: SIMD>(_ p: UnsafePointer<V.Scalar>, _ offset: Int, as _: V.Type) -> V {
  UnsafeRawPointer(p + offset).loadUnaligned(as: V.self)
}

@inline(__always)
func storeVector<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<V.Scalar>, _ offset: Int) {
  UnsafeMutableRawPointer(p + offset).storeBytes(of: v, as: V.self)
}
