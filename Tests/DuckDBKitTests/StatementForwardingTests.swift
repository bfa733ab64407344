import DuckDBKit
import DuckDBKitTestUtils
import DuckPoolTestTraits
import Foundation
import Testing

/// ``StatementRouting/quackServer`` against a real Quack server on loopback.
@Suite(.testThreads, .timeLimit(.minutes(2))) struct StatementForwardingTests {
    let fixture: InProcessQuackServer

    init() throws {
        fixture = try InProcessQuackServer(setup: [
            "CREATE TABLE counter (id INTEGER PRIMARY KEY, v INTEGER)",
            "INSERT INTO counter VALUES (1, 0), (2, 0)",
        ])
    }

    @Test func updateAndDeleteRunOnTheServerWithParameters() throws {
        let client = try fixture.client()
        #expect(try client.execute("UPDATE counter SET v = v + ? WHERE id = ?", [5, 1]) == 1)
        #expect(try client.execute("DELETE FROM counter WHERE id = $1", [2]) == 1)
        #expect(try fixture.connection.query("SELECT id, v FROM counter").rows() == [[.int(1), .int(5)]])
    }

    @Test func theAttachedCatalogAloneCannotUpdate() throws {
        let local = try fixture.client(routing: .local)
        let error = #expect(throws: DuckDBError.self) { try local.execute("UPDATE counter SET v = 1") }
        #expect(error?.message.contains("Can only update base table") == true)
    }

    @Test func transactionsAreTheServers() throws {
        let client = try fixture.client()
        try client.execute("BEGIN")
        #expect(client.transactionState == .active)
        try client.execute("UPDATE counter SET v = 42 WHERE id = 1")
        // Another session does not see the uncommitted write, and ROLLBACK undoes it.
        #expect(try fixture.connection.query("SELECT v FROM counter WHERE id = 1").scalar() == .int(0))
        try client.execute("ROLLBACK")
        #expect(client.transactionState == .idle)
        #expect(try fixture.connection.query("SELECT v FROM counter WHERE id = 1").scalar() == .int(0))
        try client.execute("BEGIN")
        try client.execute("UPDATE counter SET v = 7 WHERE id = 1")
        try client.execute("COMMIT")
        #expect(try fixture.connection.query("SELECT v FROM counter WHERE id = 1").scalar() == .int(7))
    }

    @Test func parametersKeepTheirValuesAndTypes() throws {
        let client = try fixture.client()
        let instant = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let row = try client.query(
            "SELECT ?, ?, ?, ?, ?, ?, ?, ?, typeof(?)",
            [Int64.max, 0.1, "it's \"quoted\" ? $1 -- not a comment", DuckDBDate(year: 2024, month: 2, day: 29),
             instant, Data([0, 1, 39, 255]), Decimal(string: "12345.678")!, Optional<Int>.none, Int32(3)]
        ).rows()
        #expect(row.first?[0] == .int(Int64.max))
        #expect(row.first?[1] == .double(0.1))
        #expect(row.first?[2] == .string("it's \"quoted\" ? $1 -- not a comment"))
        #expect(row.first?[3] == .date(DuckDBDate(year: 2024, month: 2, day: 29)))
        #expect(row.first?[5] == .blob([0, 1, 39, 255]))
        #expect(row.first?[6] == .decimal(Decimal(string: "12345.678")!))
        #expect(row.first?[7] == .null)
        #expect(row.first?[8] == .string("INTEGER"))
        let local = try Database.inMemory().connect()
        #expect(try local.query("SELECT ?", [instant]).scalar() == row.first?[4])
    }

    @Test func placeholdersInsideLiteralsAndCommentsStay() throws {
        let client = try fixture.client()
        let row = try client.query("SELECT '?' AS a, $$ $1 $$ AS b, ? AS c /* ? */ -- ?\n", ["x"]).rows()
        #expect(row == [[.string("?"), .string(" $1 "), .string("x")]])
    }

    /// A forwarded script is split here, statement by statement: only at top-level semicolons,
    /// never inside an `E'…'` string (`\'` escapes its quote), a dollar-quoted string, a doubled
    /// quote or a comment.
    @Test func aForwardedScriptSplitsOnlyAtTopLevelSemicolons() throws {
        let client = try fixture.client()
        try client.execute("CREATE TABLE notes (s VARCHAR)")
        let changed = try client.executeScript(#"""
            INSERT INTO notes VALUES (E'it\'s; fine'); -- a comment; with a semicolon
            INSERT INTO notes VALUES ($$a;b$$); /* ; */ INSERT INTO notes VALUES ('x'';y')
            """#)
        #expect(changed == 3)
        let notes = try fixture.connection.query("SELECT s FROM notes ORDER BY s").rows()
        #expect(notes == [[.string("a;b")], [.string("it's; fine")], [.string("x';y")]])
    }

    @Test func refusedStatementsNeverReachTheServer() throws {
        let client = try fixture.client()
        #expect(throws: DuckDBError.self) { try client.execute("SELECT $name", [1]) }
        let count = #expect(throws: DuckDBError.self) { try client.execute("SELECT ?, ?", [1]) }
        #expect(count?.code == .binder)
        let nul = #expect(throws: DuckDBError.self) { try client.execute("UPDATE counter SET v = 9 WHERE id = ?", ["1\0"]) }
        #expect(nul?.code == .invalidInput)
        #expect(try fixture.connection.query("SELECT sum(v) FROM counter").scalar() == .hugeInt(0))
    }

    @Test func serverErrorsKeepTheirKindAndTheCallersSQL() throws {
        let client = try fixture.client()
        let missing = #expect(throws: DuckDBError.self) { try client.query("SELECT * FROM no_such_table") }
        #expect(missing?.code == .binder)
        #expect(missing?.sql == "SELECT * FROM no_such_table")
        let duplicate = #expect(throws: DuckDBError.self) { try client.execute("INSERT INTO counter VALUES (1, 0)") }
        #expect(duplicate?.code == .constraint)
    }

    @Test func aConcurrentUpdateIsATransactionConflict() throws {
        let first = try fixture.client(), second = try fixture.client()
        try first.execute("BEGIN")
        try second.execute("BEGIN")
        try first.execute("UPDATE counter SET v = v + 1 WHERE id = 1")
        let conflict = #expect(throws: DuckDBError.self) { try second.execute("UPDATE counter SET v = v + 1 WHERE id = 1") }
        #expect(conflict?.code == .transactionConflict)
        #expect(second.isTransactionAborted)
        try second.execute("ROLLBACK")
        try first.execute("COMMIT")
        #expect(try fixture.connection.query("SELECT v FROM counter WHERE id = 1").scalar() == .int(1))
    }

    @Test func aWrongTokenIsAnAuthenticationError() throws {
        let error = #expect(throws: DuckDBError.self) { _ = try fixture.client(token: "wrong-token-0000") }
        #expect(error?.code == .authenticationFailed)
    }

    @Test func aStoppedServerIsConnectionRefused() throws {
        let client = try fixture.client()
        try fixture.stop()
        let error = #expect(throws: DuckDBError.self) { try client.query("SELECT 1") }
        #expect(error?.code == .connectionRefused)
    }

    @Test func placeholderScanning() throws {
        #expect(try ParameterPlaceholders.find(in: "SELECT ?, ?::INT, x FROM t WHERE a = ?").map(\.parameter) == [1, 2, 3])
        #expect(try ParameterPlaceholders.find(in: "SELECT $2, $1, $2").map(\.parameter) == [2, 1, 2])
        #expect(try ParameterPlaceholders.find(in: "SELECT 'a?', \"b?\", E'c\\'?', $t$ ? $t$, 1::INT").map(\.parameter) == [])
        #expect(throws: DuckDBError.self) { try ParameterPlaceholders.find(in: "SELECT ?, $1") }
    }
}
