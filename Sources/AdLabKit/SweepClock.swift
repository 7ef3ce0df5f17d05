import AdLabCore
import Foundation

/// Shows sweep progress on a terminal: cells done / total, elapsed time and ETA (from the cells run so far).
final class SweepClock: @unchecked Sendable {
  private let lock = NSLock()
  private let total: Int
  private let progress: Progress
  private let started = Date()
  private var done = 0
  private var ranSeconds = 0.0
  private var ran = 0
  private var cellStarted = Date()

  init(total: Int, progress: Progress) {
    self.total = total
    self.progress = progress
  }

  func handle(_ event: SweepEvent, print verbose: Bool) {
    lock.lock()
    defer { lock.unlock() }
    switch event {
    case .skipped(let cell):
      done += 1
      if verbose { say("cell \(cell.index) \(cell.id) (\(cell.label)): already finished, skipped") }
    case .started:
      cellStarted = Date()
    case .finished(let cell, _):
      done += 1
      ran += 1
      let seconds = Date().timeIntervalSince(cellStarted)
      ranSeconds += seconds
      if verbose { say("cell \(cell.index) \(cell.id) (\(cell.label)): done in \(String(format: "%.1f", seconds)) s") }
    case .failed(let cell, let message):
      done += 1
      FileHandle.standardError.write(Data("cell \(cell.index) \(cell.id) (\(cell.label)) FAILED: \(message)\n".utf8))
    }
    show(jobText: "")
  }

  func jobs(_ jobsDone: Int, _ jobsTotal: Int) {
    lock.lock()
    defer { lock.unlock() }
    show(jobText: ", current cell jobs \(jobsDone)/\(jobsTotal)")
  }

  private func say(_ line: String) {
    progress.finish()
    print(line)
  }

  private func show(jobText: String) {
    let elapsed = Date().timeIntervalSince(started)
    var text = "cells \(done)/\(total), elapsed \(Self.duration(elapsed))"
    if ran > 0, done < total { text += ", ETA \(Self.duration(ranSeconds / Double(ran) * Double(total - done)))" }
    progress.update(text + jobText)
  }

  static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600
      ? String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
      : (s >= 60 ? String(format: "%dm%02ds", s / 60, s % 60) : "\(s)s")
  }
}
