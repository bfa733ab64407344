import DuckPool
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FactorServiceApp

/// One deadline per request, passed to the pool as `deadline:`: it ends the wait for a busy pool
/// (503) and interrupts a query that runs past it (504).
@Suite(.timeLimit(.minutes(1))) struct RequestDeadlineTests {
    @Test func aRequestWaitingForABusyPoolEndsAtItsDeadlineWith503AndRetryAfter() async throws {
        let timeout = Duration.milliseconds(200)
        let harness = ServiceHarness { $0.requestTimeout = timeout }
        let pool = try await harness.openPool {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            // Far beyond the suite's time limit: only the request's deadline can end its wait.
            $0.acquireTimeout = .seconds(600)
        }
        try await harness.withService(pool: pool) { client in
            let holder = try await ConnectionHolder.start(pool)
            let sent = ContinuousClock.now
            try await client.execute(uri: "/bars/000001", method: .get) { response throws in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
                let error = try response.apiError()
                #expect(error.code == "deadline_exceeded")
                #expect(error.message.contains("deadline"))
            }
            // It waited for its deadline: its arrival (after `sent`) plus the timeout. (The pool
            // converts the instant onto its own clock; 1 ms covers the nanoseconds that can move.)
            #expect(ContinuousClock.now - sent >= timeout - .milliseconds(1))
            #expect(pool.status.waiters == 0)
            await holder.release()
            try await client.execute(uri: "/bars/000001", method: .get) { response throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func aQueryStillRunningAtTheDeadlineIsInterruptedWith504() async throws {
        // The service's own middleware and mapping, and one route whose query would run for
        // centuries: only the deadline ends it. The default 2 s leaves the lease (microseconds
        // on an idle pool) ample room to start the query before the deadline.
        let harness = ServiceHarness()
        let pool = try await harness.openPool()
        let router = Router(context: FactorRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: RequestDeadlineMiddleware(timeout: harness.configuration.requestTimeout))
        router.add(middleware: ErrorMappingMiddleware())
        router.get("endless") { _, context -> String in
            let rows = try await pool.query("SELECT sum(i) FROM range(9223372036854775807) t(i)", deadline: context.deadline)
            return "\(rows.count)"
        }
        try await Application(router: router, logger: ServiceHarness.quietLogger).test(.router) { client in
            try await client.execute(uri: "/endless", method: .get) { response throws in
                #expect(response.status == .gatewayTimeout)
                #expect(response.headers[.retryAfter] == nil)
                #expect(try response.apiError().code == "deadline_exceeded")
                #expect(!response.text.contains("range("))
            }
        }
        // The interrupted query gave its connection back.
        #expect(try await pool.query("SELECT 42").rows == [[.int(42)]])
        await pool.close()
    }
}
