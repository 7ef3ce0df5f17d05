/// The heap buffer behind one or more `Tensor` values (copy-on-write; see `Tensor.ensureUniqueContiguous()`).
///
/// 64-byte aligned, never resized. Elements are trivial floating-point values, so no per-element deinitialization is
/// needed. `@unchecked Sendable` for the same reason as `Array`'s buffer: the owning `Tensor` writes only after a
/// uniqueness check, so a buffer that is shared between threads is never written.
final class TensorStorage<Scalar: TensorScalar>: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Scalar>
  let count: Int

  /// Uninitialized storage for `count` elements (the memory holds arbitrary bits until written).
  init(uninitializedCount count: Int) {
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: Swift.max(1, count) * MemoryLayout<Scalar>.stride, alignment: 64)
    self.pointer = raw.bindMemory(to: Scalar.self, capacity: Swift.max(1, count))
  }

  /// Storage for `count` copies of `value`.
  convenience init(count: Int, repeating value: Scalar) {
    self.init(uninitializedCount: count)
    pointer.initialize(repeating: value, count: count)
  }

  deinit {
    UnsafeMutableRawPointer(pointer).deallocate()
  }
}
