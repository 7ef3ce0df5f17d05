import AdLabTensor
import ArgumentParser
import Foundation

/// `--kernels auto|portable|x86-64-v3|x86-64-v4` (or `ADLAB_KERNELS`), shared by every command that computes.
///
/// Validation sets the process default once, before the command computes anything: the option wins over the
/// environment variable, and `auto` (the default) takes the best class this CPU supports. A class this CPU
/// lacks is bad input (exit 2) with the list of classes it does support.
struct KernelOptions: ParsableArguments {
  @Option(
    name: .long,
    help: """
      Arithmetic kernel class: auto (best this CPU supports), portable, x86-64-v3 or x86-64-v4 \
      (default: $ADLAB_KERNELS, else auto). Bundles are bit-identical across machines running the same class.
      """)
  var kernels: String?

  /// The requested name: the option, else `ADLAB_KERNELS`, else `auto`.
  var requested: String { kernels ?? ProcessInfo.processInfo.environment["ADLAB_KERNELS"] ?? "auto" }

  func validate() throws {
    do {
      try KernelClass.setProcessDefault(KernelClass.resolve(requested))
    } catch {
      let source =
        kernels == nil && ProcessInfo.processInfo.environment["ADLAB_KERNELS"] != nil ? "ADLAB_KERNELS" : "--kernels"
      throw ValidationError("\(source): \(error.description)")
    }
  }
}
