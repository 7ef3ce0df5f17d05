/// A plugin whose per-batch calls can fail for reasons outside AdLab (a child process that crashed, timed out or
/// answered nonsense), although the contract's calls (`Policy.choose`, `update`) do not throw. After a failure
/// the plugin keeps answering validly (empty slots) and reports the error here; the runner checks after each
/// call and stops the job with it.
public protocol FailureReportingPlugin: AnyObject {
  /// The first error the plugin met, or nil while it works.
  var failure: (any Error)? { get }
}

public enum PluginFailure {
  /// Throws the plugin's failure, if it is a `FailureReportingPlugin` that has one.
  @inlinable public static func check(_ plugin: AnyObject) throws {
    if let reporting = plugin as? any FailureReportingPlugin, let failure = reporting.failure { throw failure }
  }
}
