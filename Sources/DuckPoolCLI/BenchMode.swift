import DuckDBKit
import DuckPool
import Foundation
import Logging

/// How the benchmark's worker threads get a connection for each query.
enum BenchMode: String, CaseIterable, Sendable {
    /// A ``DuckPool`` sized so that every worker can hold a connection, used through the
    /// blocking API from the worker threads, with each connection's cached prepared statements.
    case pool
    /// A new connection per query from one shared `Database`, closed after the query.
    case connectPerQuery = "connect-per-query"
    /// One connection shared by every worker behind a lock.
    case sharedMutex = "shared-mutex"
    /// One raw DuckDBKit connection per worker thread with its own prepared statements: the
    /// upper bound for the pool.
    case dedicated
    /// The same pool used from Swift tasks through the async `withConnection` (each closure runs
    /// on the connection's own queue). Extra: not in the default list.
    case poolAsync = "pool-async"

    /// What `--mode` runs unless told otherwise.
    static let defaults: [BenchMode] = [.pool, .connectPerQuery, .sharedMutex, .dedicated]

    /// Opens what the mode needs for `workers` threads on `database`.
    func makeTarget(database: Database, workers: Int) throws -> any BenchTarget {
        switch self {
        case .pool, .poolAsync: try PoolTarget(path: database.path, workers: workers)
        case .connectPerQuery: ConnectPerQueryTarget(database: database)
        case .sharedMutex: try SharedMutexTarget(database: database)
        case .dedicated: DedicatedTarget(database: database)
        }
    }
}

/// What one benchmark cell runs against; shared by its worker threads.
protocol BenchTarget: Sendable {
    /// Called once on each worker thread before the clock starts.
    func makeSession() throws -> any BenchSession
    /// A line describing the setup, for the human report.
    var note: String? { get }
    func close() async
}

/// One worker thread's access to a target. Never leaves the thread that made it.
protocol BenchSession {
    /// Runs `query`, reads its whole result, and returns the monotonic time (nanoseconds) at
    /// which the connection was in hand.
    func run(_ query: BenchQuery) throws -> UInt64
}

extension BenchTarget {
    var note: String? { nil }
}

// MARK: - pool

struct PoolTarget: BenchTarget {
    let pool: DuckPool

    init(path: String, workers: Int) throws {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = workers
        configuration.maximumConnections = workers
        pool = try DuckPool(path: path, configuration: configuration)
    }

    var note: String? {
        "pool: minimum = maximum = workers connections, so every worker can hold one; validateOnAcquire on (1 s trust window); statements cached per connection"
    }

    func makeSession() throws -> any BenchSession { Session(pool: pool) }

    func close() async { await pool.close() }

    struct Session: BenchSession {
        let pool: DuckPool
        func run(_ query: BenchQuery) throws -> UInt64 {
            var acquired: UInt64 = 0
            try pool.withConnection { connection in
                acquired = monotonicNanoseconds()
                _ = try BenchResultReader.readAll(connection.cachedStatement(query.sql).query(query.parameters))
            }
            return acquired
        }
    }
}

// MARK: - connect-per-query

struct ConnectPerQueryTarget: BenchTarget {
    let database: Database

    func makeSession() throws -> any BenchSession { Session(database: database) }

    func close() async {}

    struct Session: BenchSession {
        let database: Database
        func run(_ query: BenchQuery) throws -> UInt64 {
            let connection = try database.connect()
            defer { connection.close() }
            let acquired = monotonicNanoseconds()
            _ = try BenchResultReader.readAll(connection.prepare(query.sql).query(query.parameters))
            return acquired
        }
    }
}

// MARK: - shared-mutex

/// One connection behind a lock.
// @unchecked Sendable: `connection` is only touched while `lock` is held, so one thread at a
// time uses it, with the lock's happens-before ordering between holders.
final class SharedMutexTarget: BenchTarget, @unchecked Sendable {
    private let lock = NSLock()
    private let connection: Connection

    init(database: Database) throws { connection = try database.connect() }

    var note: String? { "shared-mutex: one connection behind a lock, its statements cached" }

    func makeSession() throws -> any BenchSession { Session(target: self) }

    func close() async { lock.withLock { connection.close() } }

    func run(_ query: BenchQuery) throws -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        let acquired = monotonicNanoseconds()
        _ = try BenchResultReader.readAll(connection.cachedStatement(query.sql).query(query.parameters))
        return acquired
    }

    struct Session: BenchSession {
        let target: SharedMutexTarget
        func run(_ query: BenchQuery) throws -> UInt64 { try target.run(query) }
    }
}

// MARK: - dedicated

struct DedicatedTarget: BenchTarget {
    let database: Database

    var note: String? { "dedicated: one connection per worker thread with its own prepared statements (no pool)" }

    func makeSession() throws -> any BenchSession { try Session(connection: database.connect()) }

    func close() async {}

    /// A worker's own connection and statements; closed when the worker's thread drops it.
    final class Session: BenchSession {
        let connection: Connection
        private var statements: [String: PreparedStatement] = [:]

        init(connection: Connection) { self.connection = connection }

        deinit {
            for statement in statements.values { statement.close() }
            connection.close()
        }

        func run(_ query: BenchQuery) throws -> UInt64 {
            let acquired = monotonicNanoseconds()
            let statement: PreparedStatement
            if let known = statements[query.sql] {
                statement = known
            } else {
                statement = try connection.prepare(query.sql)
                statements[query.sql] = statement
            }
            _ = try BenchResultReader.readAll(statement.query(query.parameters))
            return acquired
        }
    }
}
