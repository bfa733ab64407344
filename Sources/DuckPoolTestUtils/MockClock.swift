import DuckPoolSupport
import DuckPoolCore

/// A `Clock` whose time moves only when a test says so.
///
/// `now` starts at zero. Sleepers (`sleep(until:tolerance:)`) stay suspended until a call to
/// ``advance(by:)`` or ``advance(to:)`` moves `now` to or past their deadline, or until their task
/// is cancelled (then they throw `CancellationError`). Tests synchronise with the code under test
/// through ``waitForSleepers(count:)`` and ``waitForSleeper(deadline:)`` instead of real sleeps.
/// Thread-safe.
public final class MockClock: Clock, Sendable {
    /// A point in mock time: the duration since the clock's zero.
    public struct Instant: InstantProtocol, Sendable, Hashable, Comparable, CustomStringConvertible {
        /// Mock time is measured in `Swift.Duration`.
        public typealias Duration = Swift.Duration

        /// Time since the clock's zero.
        public var offset: Swift.Duration

        /// Creates the instant `offset` after the clock's zero.
        public init(_ offset: Swift.Duration) {
            self.offset = offset
        }

        /// The instant `duration` later.
        public func advanced(by duration: Swift.Duration) -> Self {
            Self(self.offset + duration)
        }

        /// The duration from `self` to `other`.
        public func duration(to other: Self) -> Swift.Duration {
            other.offset - self.offset
        }

        /// Earlier instants are smaller.
        public static func < (lhs: Self, rhs: Self) -> Bool {
            lhs.offset < rhs.offset
        }

        /// For example `@30.0 seconds`.
        public var description: String {
            "@\(self.offset)"
        }
    }

    /// Mock time is measured in `Swift.Duration`.
    public typealias Duration = Swift.Duration

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: UnsafeContinuation<Void, any Error>
    }

    private struct Watcher {
        var predicate: @Sendable ([Instant]) -> Bool
        var continuation: UnsafeContinuation<Void, Never>
    }

    private struct State {
        var now = Instant(.zero)
        var nextSleeperID = 0
        var sleepers: [Sleeper] = []
        /// Sleeper ids allocated but not registered yet, and those cancelled in that window.
        var unregistered: Set<Int> = []
        var cancelledBeforeRegistration: Set<Int> = []
        var watchers: [Watcher] = []

        var deadlines: [Instant] { self.sleepers.map(\.deadline) }

        /// Removes and returns the watchers whose condition now holds.
        mutating func satisfiedWatchers() -> [UnsafeContinuation<Void, Never>] {
            let deadlines = self.deadlines
            var satisfied: [UnsafeContinuation<Void, Never>] = []
            self.watchers.removeAll { watcher in
                guard watcher.predicate(deadlines) else { return false }
                satisfied.append(watcher.continuation)
                return true
            }
            return satisfied
        }
    }

    private let state = LockedValue(State())

    /// Creates a clock at time zero with no sleepers.
    public init() {}

    /// The current mock time.
    public var now: Instant {
        self.state.withLock { $0.now }
    }

    /// One nanosecond.
    public var minimumResolution: Duration {
        .nanoseconds(1)
    }

    /// Suspends until the clock is advanced to `deadline` (returns at once if it is already
    /// there).
    ///
    /// - Throws: `CancellationError` if the task is or gets cancelled first.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        if Task.isCancelled {
            throw CancellationError()
        }
        let id = self.state.withLock { state in
            let id = state.nextSleeperID
            state.nextSleeperID += 1
            state.unregistered.insert(id)
            return id
        }
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                enum Registration {
                    case cancelled
                    case due
                    case sleeping([UnsafeContinuation<Void, Never>])
                }
                let registration = self.state.withLock { state -> Registration in
                    state.unregistered.remove(id)
                    if state.cancelledBeforeRegistration.remove(id) != nil {
                        return .cancelled
                    }
                    if deadline <= state.now {
                        return .due
                    }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return .sleeping(state.satisfiedWatchers())
                }
                switch registration {
                case .cancelled:
                    continuation.resume(throwing: CancellationError())
                case .due:
                    continuation.resume()
                case .sleeping(let watchers):
                    for watcher in watchers {
                        watcher.resume()
                    }
                }
            }
        } onCancel: {
            let continuation = self.state.withLock { state -> UnsafeContinuation<Void, any Error>? in
                if let index = state.sleepers.firstIndex(where: { $0.id == id }) {
                    return state.sleepers.remove(at: index).continuation
                }
                if state.unregistered.contains(id) {
                    state.cancelledBeforeRegistration.insert(id)
                }
                return nil
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward by `duration` and wakes every sleeper whose deadline has come.
    public func advance(by duration: Duration) {
        let target = self.now.advanced(by: duration)
        self.advance(to: target)
    }

    /// Moves time to `instant` (never backwards: an earlier instant leaves time unchanged) and
    /// wakes every sleeper whose deadline has come, earliest deadline first.
    public func advance(to instant: Instant) {
        let (due, watchers) = self.state.withLock { state -> ([Sleeper], [UnsafeContinuation<Void, Never>]) in
            if instant > state.now {
                state.now = instant
            }
            let now = state.now
            var due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            due.sort { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
            return (due, state.satisfiedWatchers())
        }
        for sleeper in due {
            sleeper.continuation.resume()
        }
        for watcher in watchers {
            watcher.resume()
        }
    }

    /// The number of tasks sleeping now.
    public var sleeperCount: Int {
        self.state.withLock { $0.sleepers.count }
    }

    /// The deadlines of the tasks sleeping now, earliest first.
    public var sleeperDeadlines: [Instant] {
        self.state.withLock { $0.deadlines.sorted() }
    }

    /// Returns once at least `count` tasks are sleeping.
    public func waitForSleepers(count: Int) async {
        await self.waitUntilSleepers { $0.count >= count }
    }

    /// Returns once a task sleeps until exactly `deadline`.
    public func waitForSleeper(deadline: Instant) async {
        await self.waitUntilSleepers { $0.contains(deadline) }
    }

    /// Returns once `predicate` holds for the deadlines of the sleeping tasks.
    public func waitUntilSleepers(_ predicate: @escaping @Sendable ([Instant]) -> Bool) async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let satisfied = self.state.withLock { state -> Bool in
                if predicate(state.deadlines) {
                    return true
                }
                state.watchers.append(Watcher(predicate: predicate, continuation: continuation))
                return false
            }
            if satisfied {
                continuation.resume()
            }
        }
    }
}
