import DuckDBKit
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// Every ``DuckDBError/Code`` that DuckDB can produce, provoked for real.
@Suite(.testThreads, .timeLimit(.minutes(2))) struct ErrorTests {
    let connection: Connection

    init() throws {
        connection = try Database.inMemory().connect()
        try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, qty INTEGER CHECK (qty >= 0))")
        try connection.execute("INSERT INTO t VALUES (1, 'a', 1)")
    }

    private func code(_ sql: String, _ parameters: [any DuckDBBindable] = []) -> DuckDBError? {
        #expect(throws: DuckDBError.self) { try connection.execute(sql, parameters) }
    }

    @Test func parser() {
        let error = code("SELEC * FROM t")
        #expect(error?.code == .parser)
        #expect(error?.sql == "SELEC * FROM t")
        #expect(error?.message.contains("syntax error") == true)
    }

    @Test func binderAndCatalog() {
        #expect(code("SELECT * FROM no_such_table")?.code == .binder)
        #expect(code("SELECT no_such_column FROM t")?.code == .binder)
    }

    @Test func constraints() {
        #expect(code("INSERT INTO t VALUES (1, 'dup', 0)")?.code == .constraint)
        #expect(code("INSERT INTO t VALUES (2, NULL, 0)")?.code == .constraint)
        #expect(code("INSERT INTO t VALUES (3, 'neg', -1)")?.code == .constraint)
    }

    @Test func conversion() {
        #expect(code("SELECT CAST('abc' AS INTEGER)")?.code == .conversion)
        #expect(code("SELECT 2147483647::INTEGER + 1::INTEGER")?.code == .conversion)
    }

    @Test func transactionMisuse() {
        let error = code("COMMIT")
        #expect(error?.code == .transaction)
    }

    @Test func transactionConflict() throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.path("conflict.duckdb"))
        let first = try db.connect()
        let second = try db.connect()
        try first.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, n INTEGER)")
        try first.execute("INSERT INTO c VALUES (1, 0)")
        try first.execute("BEGIN")
        try second.execute("BEGIN")
        try first.execute("UPDATE c SET n = n + 1 WHERE id = 1")
        let error = #expect(throws: DuckDBError.self) { try second.execute("UPDATE c SET n = n + 1 WHERE id = 1") }
        #expect(error?.code == .transactionConflict)
        try first.execute("COMMIT")
        try second.execute("ROLLBACK")
        #expect(try first.query("SELECT n FROM c").scalar() == .int(1))
    }

    @Test func interrupted() throws {
        let handle = connection.interruptHandle
        // One interrupt from another thread, whenever it lands: before the query starts (it is
        // kept for the next statement) or while it runs (DuckDB stops it).
        Thread { handle.interrupt() }.start()
        let error = #expect(throws: DuckDBError.self) {
            try connection.query("SELECT count(*) FROM range(10000000000) a, range(1000) b WHERE a.range + b.range = -1")
        }
        #expect(error?.code == .interrupted)
        // The request was used up: the connection works afterwards.
        #expect(try connection.query("SELECT 1").scalar() == .int(1))
    }

    @Test func interruptBeforeTheStatementIsNotLost() throws {
        connection.interruptHandle.interrupt()
        let error = #expect(throws: DuckDBError.self) { try connection.query("SELECT count(*) FROM range(100000000000)") }
        #expect(error?.code == .interrupted)
        #expect(try connection.query("SELECT 2").scalar() == .int(2))
    }

    @Test func interruptUntilClearedStopsEveryLaterCallUntilTheOwnerClearsIt() throws {
        connection.interruptHandle.interruptUntilCleared()
        for sql in ["SELECT 1", "SELECT 2", "BEGIN"] {
            let error = #expect(throws: DuckDBError.self) { try connection.query(sql) }
            #expect(error?.code == .interrupted)
        }
        let prepare = #expect(throws: DuckDBError.self) { try connection.prepare("SELECT 3") }
        #expect(prepare?.code == .interrupted)
        connection.clearInterrupts()
        #expect(try connection.query("SELECT 4").scalar() == .int(4))
        // A plain interrupt is used up by the one statement it stops.
        connection.interruptHandle.interrupt()
        #expect(throws: DuckDBError.self) { try connection.query("SELECT count(*) FROM range(100000000000)") }
        #expect(try connection.query("SELECT 5").scalar() == .int(5))
    }

    @Test func permissionIsAWriteForbiddenByConfiguration() throws {
        try connection.execute("SET enable_external_access = false")
        let error = #expect(throws: DuckDBError.self) {
            try connection.query("SELECT * FROM read_csv('/etc/hostname')")
        }
        #expect(error?.code == .permission, "\(String(describing: error))")
    }

    @Test func aWriteOnAReadOnlyDatabaseIsInvalidInput() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ro.duckdb")
        do {
            let writer = try Database(path: path)
            try writer.connect().execute("CREATE TABLE t (x INTEGER)")
            writer.close()
        }
        var configuration = DatabaseConfiguration()
        configuration.accessMode = .readOnly
        let reader = try Database(path: path, configuration: configuration).connect()
        let error = #expect(throws: DuckDBError.self) { try reader.execute("INSERT INTO t VALUES (1)") }
        #expect(error?.code == .invalidInput)
    }

    @Test func ioErrorForMissingDirectory() {
        let error = #expect(throws: DuckDBError.self) { try Database(path: "/nonexistent-dir-\(UUID())/x.duckdb") }
        #expect(error?.code == .io)
    }

    @Test func ioErrorForCorruptFile() throws {
        let dir = TemporaryDirectory()
        let path = dir.path("corrupt.duckdb")
        try Data(repeating: 0x5A, count: 64 * 1024).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: DuckDBError.self) { try Database(path: path) }
        #expect(error?.code == .io)
    }

    @Test func fileLockedByAnotherProcessNamesThePID() throws {
        let dir = TemporaryDirectory()
        let path = dir.path("locked.duckdb")
        do {
            let db = try Database(path: path)
            try db.connect().execute("CREATE TABLE t (x INTEGER)")
            db.close()
        }
        let holder = try LockHolder(path: path)
        let error = #expect(throws: DuckDBError.self) { try Database(path: path) }
        #expect(error?.code == .fileLocked)
        #expect(error?.lockHolderPID == holder.pid)
        holder.release()
        // Once the other process lets go, the file opens and nothing was lost.
        let db = try Database(path: path)
        #expect(try db.connect().query("SELECT count(*) FROM t").scalar() == .int(0))
    }

    @Test func outOfMemory() throws {
        var config = DatabaseConfiguration()
        config.memoryLimit = "32MB"
        config.threads = 1
        config.tempDirectory = ""
        let small = try Database.inMemory(configuration: config).connect()
        let error = #expect(throws: DuckDBError.self) {
            try small.query("SELECT list(range) FROM range(20000000)")
        }
        #expect(error?.code == .outOfMemory)
        #expect(try small.query("SELECT 42").scalar() == .int(42))
    }

    @Test func invalidatedDatabase() throws {
        // DuckDB's own crash-simulation hook: a checkpoint that aborts with a FatalException,
        // which invalidates the whole instance, as a failed fsync or disk error would.
        let dir = TemporaryDirectory()
        let path = dir.path("fatal.duckdb")
        let db = try Database(path: path)
        let connection = try db.connect()
        try connection.execute("CREATE TABLE t (x INTEGER)")
        try connection.execute("INSERT INTO t VALUES (1)")
        try connection.execute("SET debug_checkpoint_abort = 'before_header'")
        let fatal = #expect(throws: DuckDBError.self) { try connection.execute("CHECKPOINT") }
        #expect(fatal?.code == .invalidated)
        // Every connection of the instance is now refused, new ones included.
        let other = try db.connect()
        let refused = #expect(throws: DuckDBError.self) { try other.query("SELECT 1") }
        #expect(refused?.code == .invalidated)
        // Closing every handle and reopening recovers the committed row from the WAL.
        connection.close()
        other.close()
        db.close()
        let reopened = try Database(path: path)
        #expect(try reopened.connect().query("SELECT count(*) FROM t").scalar() == .int(1))
    }

    @Test func misuseOfClosedThings() throws {
        let db = try Database.inMemory()
        let c = try db.connect()
        c.close()
        let closedConnection = #expect(throws: DuckDBError.self) { try c.query("SELECT 1") }
        #expect(closedConnection?.code == .misuse)
        db.close()
        let closedDatabase = #expect(throws: DuckDBError.self) { try db.connect() }
        #expect(closedDatabase?.code == .misuse)
    }
}

/// A tiny thread-safe flag for test threads.
final class Atomic<Value: Sendable>: @unchecked Sendable {
    // Guarded by `lock`.
    private var stored: Value
    private let lock = NSLock()
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// DuckDB's transaction behaviour that the pool relies on, pinned down.
@Suite(.testThreads, .timeLimit(.minutes(2))) struct TransactionBehaviourTests {
    @Test func failedCommitEndsTheTransactionAndNamesTheConstraint() throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.path("commit.duckdb"))
        let first = try db.connect()
        let second = try db.connect()
        try first.execute("CREATE TABLE c (id INTEGER PRIMARY KEY)")
        try first.execute("BEGIN")
        try second.execute("BEGIN")
        try first.execute("INSERT INTO c VALUES (2)")
        try second.execute("INSERT INTO c VALUES (2)") // the clash shows only at commit
        try first.execute("COMMIT")
        let error = #expect(throws: DuckDBError.self) { try second.execute("COMMIT") }
        #expect(error?.code == .constraint)
        #expect(second.transactionState == .idle)
        try second.execute("BEGIN") // would fail if the transaction were still open
        try second.execute("ROLLBACK")
        #expect(try second.query("SELECT count(*) FROM c").scalar() == .int(1))
    }

    @Test func transactionStateFollowsStatements() throws {
        let connection = try Database.inMemory().connect()
        #expect(connection.transactionState == .idle)
        try connection.execute("BEGIN TRANSACTION")
        #expect(connection.transactionState == .active)
        _ = try? connection.execute("SELECT * FROM missing") // an error keeps it open (aborted)
        #expect(connection.transactionState == .active)
        try connection.execute("ROLLBACK")
        #expect(connection.transactionState == .idle)
        try connection.executeScript("BEGIN; CREATE TABLE t (x INTEGER); COMMIT;")
        #expect(connection.transactionState == .idle)
        try connection.executeScript("START TRANSACTION; INSERT INTO t VALUES (1);")
        #expect(connection.transactionState == .active)
    }
}
