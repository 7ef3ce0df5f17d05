internal import CAdLabKernels
import Synchronization

/// The instruction-set class of AdLab's arithmetic kernels.
///
/// A bundle is bit-identical on every machine that runs the same class, whatever the thread
/// count. `portable` is the baseline x86-64 (SSE2) / generic Swift code with separate multiply and
/// add roundings; the FMA classes round `a·b + c` once, so their results differ from `portable`
/// in the last bits, and that is expected. Every class keeps each output element's fixed order of
/// operations (see ``GEMM``).
///
/// The class in force for a computation is ``current``: a task-local override
/// (``withClass(_:_:)``) if one is set, else the process default (``processDefault``, `portable`
/// until a host such as the `adlab` CLI sets it, so a library user opts in to FMA bits explicitly).
/// Kernels read it once, at the top of each call, in the calling task.
public enum KernelClass: String, Sendable, CaseIterable, CustomStringConvertible {
  /// Today's Swift kernels: SSE2 on x86-64, no FMA; runs everywhere.
  case portable
  /// AVX2 + FMA (x86-64 psABI level 3), 8 floats per vector.
  case x86_64_v3 = "x86-64-v3"
  /// AVX-512 F/BW/VL/DQ (level 4), 16 floats per vector.
  case x86_64_v4 = "x86-64-v4"

  public var description: String { rawValue }

  /// The classes this CPU can run, from slowest to fastest (`portable` is always first).
  public static let supported: [KernelClass] = {
    var list: [KernelClass] = [.portable]
    if adlab_cpu_supports_x86_64_v3() != 0 { list.append(.x86_64_v3) }
    if adlab_cpu_supports_x86_64_v4() != 0 { list.append(.x86_64_v4) }
    return list
  }()

  /// The fastest class this CPU supports (what `auto` means).
  public static var best: KernelClass { supported.last ?? .portable }

  /// Whether this CPU can run the class.
  public var isSupported: Bool { Self.supported.contains(self) }

  /// Parses `auto` (→ ``best``) or a class name, and checks that this CPU can run it.
  public static func resolve(_ name: String) throws(KernelClassError) -> KernelClass {
    if name == "auto" { return best }
    guard let kernels = KernelClass(rawValue: name) else { throw .unknown(name) }
    try kernels.requireSupported()
    return kernels
  }

  /// Throws ``KernelClassError/unsupported(_:supported:)`` when this CPU lacks the class.
  public func requireSupported() throws(KernelClassError) {
    guard isSupported else { throw .unsupported(self, supported: Self.supported) }
  }

  /// The task-local override set by ``withClass(_:_:)``; `nil` means ``processDefault``.
  @TaskLocal static var override: KernelClass?

  private static let defaultStorage = Mutex(KernelClass.portable)

  /// The class used when no task-local override is set. `portable` until set.
  public static var processDefault: KernelClass { defaultStorage.withLock { $0 } }

  /// Sets the process default (a host does this once at start-up, before computing).
  public static func setProcessDefault(_ kernels: KernelClass) throws(KernelClassError) {
    try kernels.requireSupported()
    defaultStorage.withLock { $0 = kernels }
  }

  /// The class in force for this task.
  public static var current: KernelClass { override ?? processDefault }

  /// Runs `body` with `kernels` in force for this task and the tasks it creates, without
  /// touching the process default (safe while other tests run in parallel). Threads started
  /// outside Swift concurrency (Dispatch) do not inherit it: capture ``current`` before
  /// fanning out and wrap each worker in ``bound(_:_:)``.
  public static func withClass<R>(_ kernels: KernelClass, _ body: () throws -> R) throws -> R {
    try kernels.requireSupported()
    return try $override.withValue(kernels, operation: body)
  }

  /// Async form of ``withClass(_:_:)``.
  public static func withClass<R: Sendable>(
    _ kernels: KernelClass, isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> R
  ) async throws -> R {
    try kernels.requireSupported()
    return try await $override.withValue(kernels, operation: body, isolation: isolation)
  }

  /// Runs `body` with an already-checked class bound (for Dispatch workers re-entering a
  /// class captured with ``current``).
  public static func bound<R>(_ kernels: KernelClass, _ body: () throws -> R) rethrows -> R {
    precondition(kernels.isSupported, "kernel class \(kernels) is not supported by this CPU")
    return try $override.withValue(kernels, operation: body)
  }
}

/// Why a kernel class cannot be used.
public enum KernelClassError: Error, Equatable, CustomStringConvertible {
  /// The name is not `auto` or a known class.
  case unknown(String)
  /// This CPU lacks the instructions of the class.
  case unsupported(KernelClass, supported: [KernelClass])

  public var description: String {
    switch self {
    case .unknown(let name):
      return "unknown kernel class '\(name)': use auto, "
        + KernelClass.allCases.map(\.rawValue).joined(separator: ", ")
    case .unsupported(let kernels, let supported):
      return "this CPU cannot run kernel class \(kernels) (it supports: "
        + supported.map(\.rawValue).joined(separator: ", ")
        + "); re-run with --kernels portable, or on a CPU with the instructions of \(kernels)"
    }
  }
}
