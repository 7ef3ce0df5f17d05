import Testing

@testable import AdLabTensor

/// Choosing kernel classes: names, CPU support, task-local overrides, and that an FMA class really
/// runs its own kernels.
struct KernelClassTests {
  @Test func namesAreTheDocumentedStrings() throws {
    #expect(KernelClass.allCases.map(\.rawValue) == ["portable", "x86-64-v3", "x86-64-v4"])
    #expect(try KernelClass.resolve("auto") == KernelClass.best)
    #expect(try KernelClass.resolve("portable") == .portable)
    #expect(KernelClass.supported.first == .portable)
    #expect(KernelClass.best == KernelClass.supported.last)
    // v4 implies v3: a class list is a prefix of the levels.
    #expect(KernelClass.supported == Array(KernelClass.allCases.prefix(KernelClass.supported.count)))
  }

  @Test func unknownNameIsATypedError() {
    #expect(throws: KernelClassError.unknown("avx9")) { try KernelClass.resolve("avx9") }
    #expect(KernelClassError.unknown("avx9").description.contains("auto, portable, x86-64-v3, x86-64-v4"))
  }

  @Test func unsupportedClassIsATypedErrorWithAClearMessage() {
    let error = KernelClassError.unsupported(.x86_64_v4, supported: [.portable])
    #expect(error.description.contains("this CPU cannot run kernel class x86-64-v4"))
    #expect(error.description.contains("--kernels portable"))
    for kernels in KernelClass.allCases where !kernels.isSupported {
      #expect(throws: KernelClassError.unsupported(kernels, supported: KernelClass.supported)) {
        try KernelClass.resolve(kernels.rawValue)
      }
    }
  }

  /// The override is task-local: the process default that other, parallel tests read is untouched.
  @Test(arguments: KernelClass.supported)
  func overrideIsTaskLocal(_ kernels: KernelClass) throws {
    let before = KernelClass.processDefault
    let inside = try KernelClass.withClass(kernels) { KernelClass.current }
    #expect(inside == kernels)
    #expect(KernelClass.processDefault == before)
    #expect(KernelClass.current == before)
  }

  /// An FMA class must not silently fall back to portable: on a long dot product the single
  /// rounding of FMA gives different low bits for some element.
  @Test(arguments: KernelClass.supported.filter { $0 != .portable })
  func fmaClassesDifferFromPortableInTheLastBits(_ kernels: KernelClass) {
    let t = GEMMCase(m: 13, n: 40, k: 200, alpha: 0.75, beta: 0.5)
    let f = GEMMTestData<Float>(t)
    let fma = runGEMM(t, f, threads: 1, kernels: kernels)
    #expect(bitwiseEqual(fma, GEMMReference.fmaOrder(t, f)))
    #expect(!bitwiseEqual(fma, runGEMM(t, f, threads: 1, kernels: .portable)))
    // (No Double counterpart: the test operands have 24-bit significands, so their products are
    // exact in Double and FMA rounds the same as multiply-then-add.)
  }
}
