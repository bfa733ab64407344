import DuckDBKit
import DuckPoolTestTraits
import Foundation
import Synchronization
import Testing

/// A query that would run for hours: a sum over 10^12 pairs of rows. DuckDB estimates progress
/// for table scans, not for `range()`, hence the table (made by `makeTable`).
let endlessQuery = "SELECT sum(hash(a.i * b.i)) FROM big a, big b"
let makeTable = "CREATE TABLE big AS SELECT range AS i FROM range(1000000)"

@Suite(.testThreads, .timeLimit(.minutes(2))) struct QueryProgressTests {
    /// Every progress value the callback saw, and whether it saw one after `withProgress` ended.
    final class Seen: Sendable {
        let values = Mutex<[QueryProgress]>([])
        let finished = Mutex(false)
        let lateCalls = Mutex(0)
    }

    @Test(.timeLimit(.minutes(1)))
    func progressIsReportedWhileAQueryRunsAndStopsWithIt() async throws {
        let seen = Seen()
        let outcome: (code: DuckDBError.Code?, after: [[DuckDBValue]]) = try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let connection = try Database.inMemory().connect()
                    try connection.execute(makeTable)
                    let handle = connection.interruptHandle
                    var code: DuckDBError.Code?
                    do {
                        _ = try connection.withProgress(every: .milliseconds(5), onProgress: { progress in
                            if seen.finished.withLock({ $0 }) { seen.lateCalls.withLock { $0 += 1 } }
                            seen.values.withLock { $0.append(progress) }
                            if progress.percentage > 0 { handle.interrupt() } // seen moving: stop it
                        }) {
                            try connection.query(endlessQuery).rows()
                        }
                    } catch let error as DuckDBError {
                        code = error.code
                    }
                    seen.finished.withLock { $0 = true }
                    return (code, try connection.query("SELECT 42").rows())
                })
            }.start()
        }
        #expect(outcome.code == .interrupted)
        #expect(outcome.after == [[.int(42)]])
        let values = seen.values.withLock { $0 }
        #expect(values.contains { $0.percentage > 0 && $0.percentage < 100 && $0.rowsProcessed > 0 && $0.totalRowsToProcess > 0 })
        #expect(seen.lateCalls.withLock { $0 } == 0)
    }

    @Test func trackingIsOffUntilAskedFor() throws {
        let connection = try Database.inMemory().connect()
        #expect(try connection.query("SELECT current_setting('enable_progress_bar')").rows() == [[.bool(false)]])
        try connection.enableProgressTracking()
        try connection.enableProgressTracking() // idempotent
        #expect(try connection.query("SELECT current_setting('enable_progress_bar'), current_setting('enable_progress_bar_print')").rows() == [[.bool(true), .bool(false)]])
        #expect(connection.progress() == nil) // nothing runs
    }
}
