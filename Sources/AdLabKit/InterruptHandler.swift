import AdLabCore
import Dispatch
import Foundation

/// Turns Ctrl-C (SIGINT) and SIGTERM into a clean stop: the first one asks the run to stop (running jobs end at
/// their next batch, finished ones are kept for a resume); a second one quits at once, which is safe too since
/// every kept record is written whole. One per process (`installed`), alive until it exits: a handler released
/// early would leave the signals ignored.
// @unchecked: every field is immutable and dispatch sources are thread-safe.
final class InterruptHandler: @unchecked Sendable {
  let stop = StopRequest()
  private let sources: [any DispatchSourceSignal]

  /// The process's handler, installed on first use.
  static let installed = InterruptHandler()

  private init() {
    let stop = self.stop
    sources = [SIGINT, SIGTERM].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        if stop.isRequested { Foundation.exit(130) }
        stop.request()
        FileHandle.standardError.write(Data("\nstopping: finished jobs are kept (Ctrl-C again to quit at once)\n".utf8))
      }
      source.resume()
      return source
    }
  }
}
