import DuckDBKit
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct ConcurrencyTests {
    @Test func twoConnectionsOnTwoThreadsAtOnce() throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.path("two.duckdb"))
        try db.connect().execute("CREATE TABLE t (worker INTEGER, n INTEGER)")
        let group = DispatchGroup()
        let failures = Atomic(0)
        for worker in 0..<2 {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    let connection = try db.connect() // one connection per thread
                    for n in 0..<500 { try connection.execute("INSERT INTO t VALUES (?, ?)", [worker, n]) }
                    _ = try connection.query("SELECT count(*) FROM t").scalar()
                } catch {
                    failures.value += 1
                }
            }.start()
        }
        group.wait()
        #expect(failures.value == 0)
        #expect(try db.connect().query("SELECT count(*) FROM t").scalar() == .int(1000))
    }

    /// A `Connection` is not `Sendable`: `Thread { connection.query(...) }` does not compile.
    /// Escaping the check on purpose, the second thread gets a typed error, never a crash.
    @Test func oneConnectionFromTwoThreadsIsATypedError() throws {
        let db = try Database.inMemory()
        nonisolated(unsafe) let shared = try db.connect()
        let handle = shared.interruptHandle
        let longQueryDone = Atomic(false)
        let longQueryError = Atomic<DuckDBError?>(nil)
        Thread {
            // Retry until this thread, not the test thread, owns the connection.
            while true {
                do throws(DuckDBError) {
                    _ = try shared.query("SELECT count(*) FROM range(100000000000) a WHERE a.range = -1")
                    break
                } catch where error.code == .concurrentUse {
                    continue
                } catch {
                    longQueryError.value = error
                    break
                }
            }
            longQueryDone.value = true
        }.start()
        // Probe until a probe collides with the long query running on the other thread.
        var collision: DuckDBError?
        while collision == nil, !longQueryDone.value {
            do throws(DuckDBError) { _ = try shared.query("SELECT 1") } catch { collision = error }
        }
        #expect(collision?.code == .concurrentUse)
        handle.interrupt()
        while !longQueryDone.value { sched_yield() }
        #expect(longQueryError.value?.code == .interrupted)
        // The connection is healthy afterwards.
        #expect(try shared.query("SELECT 2").scalar() == .int(2))
    }
}
