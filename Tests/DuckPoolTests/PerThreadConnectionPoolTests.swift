import DuckPoolSupport
import DuckPool
import DuckPoolTestTraits
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(.testThreads, .timeLimit(.minutes(2))) struct PerThreadConnectionPoolTests {
    /// Runs `body` on a new pthread and joins it, so that the thread's exit (and the release of
    /// its thread-local connection) has happened when this returns.
    private func onNewThreadAndJoin(_ body: @escaping @Sendable () -> Void) {
        pthread_join(startThread(body), nil)
    }

    /// Starts `body` on a new pthread; join it to know that the thread has exited.
    private func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
        final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        return thread
    }

    @Test func eachThreadGetsItsOwnConnectionAndKeepsIt() throws {
        let fixture = try PoolFixture()
        let pool = try PerThreadConnectionPool(path: fixture.path)
        let identities = LockedValue<[ObjectIdentifier]>([])
        for _ in 0..<2 {
            onNewThreadAndJoin {
                let first = try? pool.withConnection { ObjectIdentifier($0) }
                let second = try? pool.withConnection { ObjectIdentifier($0) }
                #expect(first != nil && first == second)
                if let first { identities.withLock { $0.append(first) } }
                #expect(pool.openConnectionCount == 1)
            }
            // The thread has ended, so its connection is closed.
            #expect(pool.openConnectionCount == 0)
        }
        #expect(identities.withLock { $0.count } == 2)
        pool.close()
    }

    @Test func threadsWorkConcurrentlyWithoutErrors() throws {
        let fixture = try PoolFixture()
        let pool = try PerThreadConnectionPool(path: fixture.path)
        let failures = LockedCounter()
        let group = DispatchGroup()
        for worker in 0..<8 {
            group.enter()
            Thread {
                defer { group.leave() }
                for step in 0..<50 {
                    do {
                        try pool.withConnection { connection in
                            _ = try connection.query("SELECT count(*) FROM stock_kline WHERE volume > ?", [worker * step]).countRows()
                        }
                    } catch { failures.add(1) }
                }
            }.start()
        }
        group.wait()
        #expect(failures.value == 0)
        pool.close()
    }

    /// An ending thread must not run DuckDB's clean-up itself (it would leave DuckDB thread-local
    /// state behind that nothing frees; `make leaks` reports it): its connection goes to the
    /// pool's closer, also when the pool was closed while the thread was still alive.
    @Test func aThreadThatEndsHandsItsConnectionToTheCloser() throws {
        let fixture = try PoolFixture()
        let pool = try PerThreadConnectionPool(path: fixture.path)
        onNewThreadAndJoin {
            _ = try? pool.withConnection { try $0.query("SELECT count(*) FROM stock_kline WHERE volume > ?", [0]).countRows() }
        }
        pool.close() // waits for the closer
        #expect(pool.orphanedConnectionsClosed == 1)

        let second = try PerThreadConnectionPool(path: fixture.path)
        let used = DispatchSemaphore(value: 0), closed = DispatchSemaphore(value: 0)
        let worker = startThread {
            _ = try? second.withConnection { try $0.query("SELECT count(*) FROM stock_kline WHERE volume > ?", [1]).countRows() }
            used.signal()
            closed.wait()
        }
        used.wait()
        second.close() // the worker is alive: its connection is closed from here
        #expect(second.orphanedConnectionsClosed == 0)
        closed.signal()
        pthread_join(worker, nil)
        second.close() // idempotent; waits for the closer again
        #expect(second.orphanedConnectionsClosed == 1)
    }

    @Test func closeClosesEveryConnectionAndRefusesNewUse() throws {
        let fixture = try PoolFixture()
        let pool = try PerThreadConnectionPool(path: fixture.path)
        try pool.withConnection { _ = try $0.query("SELECT 1") }
        #expect(pool.openConnectionCount == 1)
        pool.close()
        #expect(pool.openConnectionCount == 0)
        let error = #expect(throws: DuckPoolError.self) { try pool.withConnection { _ in 1 } }
        #expect(error?.code == .poolClosed)
    }
}
