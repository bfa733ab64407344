import Foundation
import DuckPoolSupport

/// A one-line progress bar on standard error, drawn only when standard error is a terminal: piped
/// or redirected output stays free of it.
///
/// Thread-safety: `Sendable`; ``advance(by:)`` and ``update(completed:)`` may be called from many
/// threads. Redraws are throttled to ten per second, so calling them per row is cheap.
final class ProgressBar: Sendable {
    private struct State {
        var completed = 0
        var lastDrawNanoseconds: UInt64 = 0
        var finished = false
    }

    let label: String
    let total: Int
    let isEnabled: Bool
    private let state = LockedValue(State())
    private let started = ContinuousClock.now

    /// True when standard error is a terminal.
    static let isTerminal: Bool = isatty(STDERR_FILENO) == 1

    /// - Parameters:
    ///   - total: the number of units when done (rows, queries, operations); 0 for an unknown total.
    ///   - enabled: overrides terminal detection (tests, `--no-progress`).
    init(_ label: String, total: Int, enabled: Bool = ProgressBar.isTerminal) {
        self.label = label
        self.total = total
        self.isEnabled = enabled
    }

    /// Adds `count` completed units.
    func advance(by count: Int = 1) {
        guard isEnabled else { return }
        let line: String? = state.withLock { state in
            state.completed += count
            return Self.throttledLine(&state, self)
        }
        if let line { Self.write(line) }
    }

    /// Sets the number of completed units.
    func update(completed: Int) {
        guard isEnabled else { return }
        let line: String? = state.withLock { state in
            state.completed = completed
            return Self.throttledLine(&state, self)
        }
        if let line { Self.write(line) }
    }

    /// Draws the final state and ends the line. Idempotent.
    func finish() {
        guard isEnabled else { return }
        let line: String? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            return render(completed: state.completed) + "\n"
        }
        if let line { Self.write(line) }
    }

    private static func throttledLine(_ state: inout State, _ bar: ProgressBar) -> String? {
        guard !state.finished else { return nil }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - state.lastDrawNanoseconds >= 100_000_000 else { return nil }
        state.lastDrawNanoseconds = now
        return bar.render(completed: state.completed)
    }

    private func render(completed: Int) -> String {
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        let elapsed = String(format: "%.1fs", Double(seconds) + Double(attoseconds) / 1e18)
        guard total > 0 else { return "\r\u{1B}[2K\(label) \(completed) \(elapsed)" }
        let fraction = min(1, Double(completed) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let percent = String(format: "%3.0f%%", fraction * 100)
        return "\r\u{1B}[2K\(label) [\(bar)] \(percent) \(completed)/\(total) \(elapsed)"
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
