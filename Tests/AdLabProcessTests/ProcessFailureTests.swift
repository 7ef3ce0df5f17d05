import AdLabBuiltins
import AdLabCore
import Foundation
import Testing

@testable import AdLabProcess

/// Children that misbehave: each gives a `ProcessPluginError` naming the variant, and no zombie.
@Suite(.enabled(if: ProcessTestSupport.hasPython, ProcessTestSupport.noPython))
struct ProcessFailureTests {
  /// Runs one decide (and learn) against `script` and returns the error and whether the child was reaped.
  static func failure(_ name: String, _ body: String, timeout: Double = 10) throws -> (String, Bool) {
    let path = try ProcessTestSupport.script(name, body)
    do {
      let policy = try ProcessTestSupport.policy(["python3", path], timeout: timeout)
      let batch = ProcessTestSupport.batch(10)
      var actions = [Int32](repeating: 0, count: 10)
      actions.withUnsafeMutableBufferPointer { policy.choose(batch, actions: $0, propensities: nil) }
      let rewards = [Double](repeating: 0, count: 10)
      actions.withUnsafeBufferPointer { a in
        rewards.withUnsafeBufferPointer { policy.update(batch, actions: a, rewards: $0) }
      }
      let error = try #require(policy.failure)
      #expect(actions.allSatisfy { $0 == DecisionBatch.noAd }, "a failed policy leaves its slots empty")
      return ("\(error)", ProcessTestSupport.isReaped(policy.processID))
    } catch let error as ProcessPluginError {
      return ("\(error)", true)
    }
  }

  static let decideOnce = """
    class P:
        def __init__(self, hello): pass
        def decide(self, batch): return %@
    adlab_plugin.run(P)
    """

  @Test func childThatExitsAtStart() throws {
    let (message, reaped) = try Self.failure("exits.py", "sys.stderr.write('cannot load weights\\n')\nsys.exit(3)\n")
    #expect(message.contains("variant 'py'"))
    #expect(message.contains("policy 'process'"))
    #expect(message.contains("exited with status 3"))
    #expect(message.contains("cannot load weights"))
    #expect(reaped)
  }

  @Test func childThatWritesGarbage() throws {
    let (message, reaped) = try Self.failure(
      "garbage.py", "import os\nos.write(1, b'hello world, this is not a frame')\nimport time\ntime.sleep(5)\n")
    #expect(message.contains("variant 'py'"))
    #expect(message.contains("malformed reply to the handshake"))
    #expect(reaped)
  }

  @Test func childThatTimesOut() throws {
    let body = Self.decideOnce.replacingOccurrences(of: "%@", with: "__import__('time').sleep(30)")
    let start = Date()
    let (message, reaped) = try Self.failure("slow.py", body, timeout: 0.5)
    #expect(Date().timeIntervalSince(start) < 10)
    #expect(message.contains("variant 'py'"))
    #expect(message.contains("no reply to decide within 0.5 s"))
    #expect(reaped)
  }

  @Test func childThatReturnsAnOutOfRangeAction() throws {
    let body = Self.decideOnce.replacingOccurrences(of: "%@", with: "[7] * batch.n")
    let (message, reaped) = try Self.failure("range.py", body)
    #expect(message.contains("variant 'py'"))
    #expect(message.contains("action 7 at entry 0"))
    #expect(reaped)
  }

  @Test func childThatReturnsTooFewActions() throws {
    let body = Self.decideOnce.replacingOccurrences(of: "%@", with: "[0] * (batch.n - 1)")
    let (message, _) = try Self.failure("short.py", body)
    #expect(message.contains("9 actions for a batch of 10 decisions × 1 slots = 10"))
  }

  @Test func childThatRaises() throws {
    let body = Self.decideOnce.replacingOccurrences(of: "%@", with: "1 / 0")
    let (message, reaped) = try Self.failure("raises.py", body)
    #expect(message.contains("the child reported an error during decide"))
    #expect(message.contains("ZeroDivisionError"))
    #expect(reaped)
  }

  @Test func versionMismatch() throws {
    let body =
      "import struct, os\nos.read(0, 65536)\nos.write(1, struct.pack('<IBI', 5, 1, 99))\nimport time\ntime.sleep(5)\n"
    let (message, reaped) = try Self.failure("version.py", body)
    #expect(message.contains("speaks process protocol version 99, AdLab speaks 1"))
    #expect(reaped)
  }

  @Test func childThatIgnoresCloseIsKilledAndReaped() throws {
    // Answers the handshake, then never reads again nor exits.
    let path = try ProcessTestSupport.script(
      "stubborn.py",
      """
      import os, struct, time
      os.read(0, 65536)
      os.write(1, struct.pack('<IBI', 5, 1, 1))
      os.close(0)
      while True: time.sleep(1)
      """)
    let policy = try ProcessTestSupport.policy(["python3", path])
    let pid = policy.processID
    let start = Date()
    policy.close()
    #expect(Date().timeIntervalSince(start) < 8)
    #expect(ProcessTestSupport.isReaped(pid))
  }

  @Test func droppedPolicyReapsItsChild() throws {
    let example = ProcessTestSupport.root + "/python/examples/first_ad.py"
    var policy: ProcessPolicy? = try ProcessTestSupport.policy(["python3", example])
    let pid = try #require(policy?.processID)
    #expect(!ProcessTestSupport.isReaped(pid))
    policy = nil
    #expect(ProcessTestSupport.isReaped(pid))
  }

  @Test func missingProgram() throws {
    #expect(throws: ProcessPluginError.self) { try ProcessTestSupport.policy(["adlab-no-such-program-xyz"]) }
  }

  @Test func runnerStopsTheJobWithTheError() async throws {
    let path = try ProcessTestSupport.script(
      "runner-range.py", Self.decideOnce.replacingOccurrences(of: "%@", with: "[-5] * batch.n"))
    let loaded = try ProcessTestSupport.spec(
      "  broken: { policy: { plugin: process, params: { command: [python3, \(path)] } } }\n  ucb: { policy: ucb1 }")
    await #expect {
      _ = try await ExperimentRunner(jobs: 2).run(loaded.spec)
    } throws: { error in
      "\(error)".contains("variant 'broken'") && "\(error)".contains("action -5")
    }
  }

  @Test func duplicateAdInOnePageViewIsRejected() {
    let actions: [Int32] = [0, 1, 2, 2, -1, -1]
    let problem = actions.withUnsafeBufferPointer { ActionCheck.problem(actions: $0, slots: 2, candidates: 3) }
    #expect(problem?.contains("candidate 2 fills slots 0 and 1 of decision 1") == true)
    let fine: [Int32] = [0, 1, -1, -1]
    #expect(fine.withUnsafeBufferPointer { ActionCheck.problem(actions: $0, slots: 2, candidates: 3) } == nil)
  }
}

/// Spec-time checks: a bad command is an error at its file position, before anything runs.
struct ProcessSpecTests {
  static func diagnostics(_ params: String) -> [SpecDiagnostic] {
    do {
      _ = try ProcessTestSupport.spec("  p: { policy: { plugin: process, params: \(params) } }")
      return []
    } catch let error as SpecError {
      return error.diagnostics
    } catch {
      return []
    }
  }

  @Test func emptyCommandIsRejected() {
    let found = Self.diagnostics("{ command: [] }")
    #expect(found.contains { $0.message.contains("the command is empty") })
  }

  @Test func missingCommandIsRejected() {
    #expect(Self.diagnostics("{ timeout: 5 }").contains { $0.message.contains("command is required") })
  }

  @Test func missingScriptIsReportedAtItsElement() throws {
    let found = Self.diagnostics("{ command: [python3, no/such/policy.py] }")
    let diagnostic = try #require(found.first { $0.message.contains("script 'no/such/policy.py' does not exist") })
    #expect(diagnostic.keyPath.hasSuffix("params.command[1]"))
    #expect(diagnostic.mark.line == 8)
    #expect(diagnostic.mark.column > 1)
  }

  /// A program that cannot be started passed `validate` and failed in `run`.
  @Test func programThatCannotStartIsReportedAtItsElement() throws {
    let missing = Self.diagnostics("{ command: [no-such-program-adlab] }")
    let onPath = try #require(missing.first { $0.message.contains("'no-such-program-adlab' is not on PATH") })
    #expect(onPath.keyPath.hasSuffix("params.command[0]"))
    let notExecutable = try ProcessTestSupport.script("plain.txt", "not a program\n")
    #expect(
      Self.diagnostics("{ command: [\(notExecutable)] }").contains { $0.message.contains("is not an executable file") })
    // Found on PATH, it loads.
    #expect(Self.diagnostics("{ command: [python3] }").isEmpty)
  }

  @Test func pinnedDigestMustMatch() throws {
    let path = try ProcessTestSupport.script("pinned.py", "pass\n")
    let found = Self.diagnostics("{ command: [python3, \(path)], script_sha256: ['0000  \(path)'] }")
    #expect(found.contains { $0.message.contains("script_sha256 pins") })
  }

  @Test func nonPositiveTimeoutIsRejected() {
    #expect(Self.diagnostics("{ command: [python3], timeout: 0 }").contains { $0.message.contains("out of range") })
  }
}
