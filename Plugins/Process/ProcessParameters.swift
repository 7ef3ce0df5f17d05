import AdLabCore

/// What every process plugin's parameters have: the command, the per-reply timeout and the scripts' digests.
public protocol ProcessPluginParameters: PluginParameters {
  var command: ProcessCommand { get set }
  var timeout: Double { get set }
  /// Digests given in the spec (a pin); empty when none.
  var pinnedDigests: [String] { get set }
}

extension ProcessPluginParameters {
  /// The actual digests (what resolved.json records); setting it pins them.
  var scriptSHA256: [String] {
    get { command.scriptDigests }
    set { pinnedDigests = newValue }
  }

  /// The fields every process plugin declares, in this order.
  static var commonFields: [ParameterField<Self>] {
    [
      .init(
        "command", \.command,
        doc: "program and arguments of the child, e.g. [python3, my_policy.py]; .py files must exist"),
      .init(
        "timeout", \.timeout,
        doc: "seconds to wait for each reply (handshake and every batch) before killing the child",
        .openClosed(0, 86_400)),
      .init(
        "script_sha256", \.scriptSHA256,
        doc: "sha256 of each script file named in command (recorded by AdLab); when given, the scripts must match"),
    ]
  }

  public func crossFieldProblems() -> [String] {
    if command.arguments.isEmpty {
      return ["command is required: the program and its arguments, e.g. [python3, my_policy.py]"]
    }
    guard !pinnedDigests.isEmpty, pinnedDigests != command.scriptDigests else { return [] }
    return [
      "script_sha256 pins \(pinnedDigests) but the scripts now hash to \(command.scriptDigests); "
        + "update the pin or restore the scripts"
    ]
  }
}
