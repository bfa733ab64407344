import DuckDBKit
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct StatementCacheTests {
    private func makeConnection() throws -> Connection {
        let connection = try Database.inMemory().connect()
        try connection.execute("CREATE TABLE t (id INTEGER, name VARCHAR)")
        try connection.execute("INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')")
        return connection
    }

    @Test func parameterisedQueriesReuseOneStatement() throws {
        let connection = try makeConnection()
        let before = connection.statementCacheStatistics
        for id in 1...3 {
            let name = try connection.query("SELECT name FROM t WHERE id = ?", [id]).scalar()
            #expect(name == .string(["one", "two", "three"][id - 1]))
        }
        let after = connection.statementCacheStatistics
        #expect(after.misses - before.misses == 1)
        #expect(after.hits - before.hits == 2)
        #expect(connection.cachedStatementCount == 1) // CREATE and INSERT had no parameters: not cached
    }

    @Test func cachedStatementIsTheSameObjectAndBindingsDoNotLeak() throws {
        let connection = try makeConnection()
        let first = try connection.cachedStatement("SELECT count(*) FROM t WHERE id >= ?")
        let second = try connection.cachedStatement("SELECT count(*) FROM t WHERE id >= ?")
        #expect(first === second)
        #expect(try first.query([2]).scalar() == .int(2))
        // A failed bind (wrong count) must not leave the old binding in place for the next run.
        #expect(throws: DuckDBError.self) { try second.query([]) }
        #expect(try second.query([1]).scalar() == .int(3))
        #expect(try connection.cachedStatement("SELECT 42").query().scalar() == .int(42))
    }

    @Test func leastRecentlyUsedStatementIsEvicted() throws {
        let connection = try makeConnection()
        connection.statementCacheCapacity = 2
        _ = try connection.cachedStatement("SELECT 1")
        _ = try connection.cachedStatement("SELECT 2")
        _ = try connection.cachedStatement("SELECT 1") // 1 is now more recent than 2
        _ = try connection.cachedStatement("SELECT 3") // evicts 2
        #expect(connection.cachedStatementCount == 2)
        #expect(connection.statementCacheStatistics.evictions == 1)
        let misses = connection.statementCacheStatistics.misses
        _ = try connection.cachedStatement("SELECT 1")
        #expect(connection.statementCacheStatistics.misses == misses)
        _ = try connection.cachedStatement("SELECT 2")
        #expect(connection.statementCacheStatistics.misses == misses + 1)
        connection.statementCacheCapacity = 0
        #expect(connection.cachedStatementCount == 0)
        #expect(try connection.query("SELECT name FROM t WHERE id = ?", [1]).scalar() == .string("one"))
        #expect(connection.cachedStatementCount == 0)
    }

    @Test func anEvictedStatementHeldByACallerStaysUsable() throws {
        let connection = try makeConnection()
        connection.statementCacheCapacity = 1
        let held = try connection.cachedStatement("SELECT count(*) FROM t")
        _ = try connection.cachedStatement("SELECT 2")
        #expect(try held.query().scalar() == .int(3))
    }

    @Test func droppedTableIsATypedErrorAndTheConnectionStaysUsable() throws {
        let connection = try makeConnection()
        #expect(try connection.query("SELECT name FROM t WHERE id = ?", [1]).scalar() == .string("one"))
        try connection.execute("DROP TABLE t")
        let error = #expect(throws: DuckDBError.self) { try connection.query("SELECT name FROM t WHERE id = ?", [1]) }
        #expect(error?.code == .binder)
        #expect(connection.statementCacheStatistics.invalidations == 1)
        #expect(try connection.query("SELECT ? + 1", [1]).scalar() == .int(2))
        // The table comes back with another shape: the same SQL prepares afresh and sees it.
        try connection.execute("CREATE TABLE t (id BIGINT, name VARCHAR, extra DOUBLE)")
        try connection.execute("INSERT INTO t VALUES (1, 'uno', 0.5)")
        #expect(try connection.query("SELECT name FROM t WHERE id = ?", [1]).scalar() == .string("uno"))
    }

    @Test func alteredTableIsSeenByACachedStatement() throws {
        let connection = try makeConnection()
        #expect(try connection.query("SELECT * FROM t WHERE id = ?", [1]).columnNames == ["id", "name"])
        try connection.execute("ALTER TABLE t ADD COLUMN score DOUBLE DEFAULT 1.5")
        let outcome = Result { () throws(DuckDBError) in try connection.query("SELECT * FROM t WHERE id = ?", [1]) }
        switch outcome {
        case .success(let result):
            // DuckDB rebinds the plan after a catalog change.
            #expect(result.columnNames == ["id", "name", "score"])
        case .failure(let error):
            // Or refuses it with a typed error, and the next call prepares afresh.
            #expect([DuckDBError.Code.binder, .invalidInput].contains(error.code))
            #expect(try connection.query("SELECT * FROM t WHERE id = ?", [1]).columnNames == ["id", "name", "score"])
        }
        try connection.execute("ALTER TABLE t ALTER COLUMN id TYPE VARCHAR")
        let row = try connection.query("SELECT id FROM t WHERE name = ?", ["two"]).scalar()
        #expect(row == .string("2"))
    }

    @Test func aCachedStatementClosedByACallerIsPreparedAgain() throws {
        let connection = try makeConnection()
        try connection.cachedStatement("SELECT count(*) FROM t").close()
        #expect(try connection.cachedStatement("SELECT count(*) FROM t").query().scalar() == .int(3))
        #expect(connection.cachedStatementCount == 1)
    }

    @Test func closeFreesCachedStatements() throws {
        let connection = try makeConnection()
        let statement = try connection.cachedStatement("SELECT count(*) FROM t")
        #expect(connection.cachedStatementCount == 1)
        connection.close()
        #expect(connection.cachedStatementCount == 0)
        let error = #expect(throws: DuckDBError.self) { try statement.query() }
        #expect(error?.code == .misuse)
    }

    @Test func droppingAConnectionWithCachedStatementsFreesIt() throws {
        weak var dropped: Connection?
        try {
            let connection = try makeConnection()
            _ = try connection.query("SELECT name FROM t WHERE id = ?", [1])
            #expect(connection.cachedStatementCount == 1)
            dropped = connection
        }()
        #expect(dropped == nil) // no reference cycle through the cache
    }

    @Test func cachedStatementInsideATransactionTracksState() throws {
        let connection = try makeConnection()
        try connection.execute("BEGIN")
        try connection.execute("INSERT INTO t VALUES (?, ?)", [4, "four"])
        #expect(connection.transactionState == .active)
        try connection.execute("ROLLBACK")
        #expect(try connection.query("SELECT count(*) FROM t WHERE id >= ?", [0]).scalar() == .int(3))
    }
}
