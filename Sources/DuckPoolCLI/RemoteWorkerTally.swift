import DuckDBKit
import DuckPool
import DuckPoolSupport
import Foundation

/// What a `remote-worker` process did, printed as JSON on its last line.
struct RemoteWorkerReport: Codable, Sendable, Equatable {
    var worker: Int
    /// Successful operations of each kind.
    var increments: Int
    var reads: Int
    var inserts: Int
    /// Reads that saw `debits` and `credits` differ: half a commit.
    var torn: Int
    /// Wall time of the whole run, in seconds.
    var seconds: Double
    /// Commit latency of the increments, whole `transaction(retry:)` calls, in milliseconds.
    var commitP50Milliseconds: Double
    var commitP99Milliseconds: Double
    /// Failed operations by error, as `"kind: error"`, with counts.
    var errors: [String: Int]
}

/// A `remote-worker`'s counts, shared by its tasks.
///
/// **Thread-safety:** `Sendable`; every member may be used from any task.
final class RemoteWorkerTally: Sendable {
    enum Kind: String { case increment, read, insert }

    private struct Counts {
        var done: [String: Int] = [:]
        var torn = 0
        var commitNanoseconds: [Int64] = []
        var errors: [String: Int] = [:]
    }

    private let counts = LockedValue(Counts())

    /// Runs one operation; counts it as done, or its error.
    func record(_ kind: Kind, _ operation: () async throws -> Void) async {
        do {
            try await operation()
            counts.withLock { $0.done[kind.rawValue, default: 0] += 1 }
        } catch {
            counts.withLock { $0.errors["\(kind.rawValue): \(Self.describe(error))", default: 0] += 1 }
        }
    }

    func torn() { counts.withLock { $0.torn += 1 } }

    func commitLatency(_ duration: Duration) { counts.withLock { $0.commitNanoseconds.append(duration.nanoseconds) } }

    func report(worker: Int, elapsed: Duration) -> RemoteWorkerReport {
        counts.withLock { counts in
            let sorted = counts.commitNanoseconds.sorted()
            func percentile(_ fraction: Double) -> Double {
                guard !sorted.isEmpty else { return 0 }
                let rank = min(sorted.count - 1, Int((fraction * Double(sorted.count)).rounded(.up)) - 1)
                return Double(sorted[max(0, rank)]) / 1e6
            }
            return RemoteWorkerReport(
                worker: worker, increments: counts.done["increment"] ?? 0, reads: counts.done["read"] ?? 0,
                inserts: counts.done["insert"] ?? 0, torn: counts.torn, seconds: elapsed.secondsDouble,
                commitP50Milliseconds: percentile(0.5), commitP99Milliseconds: percentile(0.99), errors: counts.errors
            )
        }
    }

    /// The DuckDB error code of `error`, directly or under a pool error.
    static func duckDBCode(of error: any Error) -> DuckDBError.Code? {
        if let error = error as? DuckDBError { return error.code }
        if let error = error as? DuckPoolError { return (error.underlying as? DuckDBError)?.code }
        return nil
    }

    /// Whether `error` says the server is not there (yet): refused, or its session ended.
    static func isRefusal(_ error: any Error) -> Bool {
        if let error = error as? DuckPoolError, error.code == .acquireTimeout || error.code == .databaseUnavailable { return true }
        return [.connectionRefused, .remote].contains(duckDBCode(of: error))
    }

    private static func describe(_ error: any Error) -> String {
        if let code = duckDBCode(of: error) { return "\(code)" }
        if let error = error as? DuckPoolError { return "\(error.code)" }
        return "\(type(of: error))"
    }
}
