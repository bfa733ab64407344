import DuckDBKit
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct DatabaseTests {
    @Test func versionIsPinned() throws {
        let db = try Database.inMemory()
        let connection = try db.connect()
        let version = try connection.query("SELECT version()").scalar()
        #expect(version == .string("v1.5.5"))
        #expect(Database.libraryVersion == "v1.5.5")
    }

    @Test func inMemoryOpenAndClose() throws {
        let db = try Database.inMemory()
        let connection = try db.connect()
        try connection.execute("CREATE TABLE t (x INTEGER)")
        #expect(try connection.execute("INSERT INTO t VALUES (1), (2)") == 2)
        connection.close()
        #expect(connection.isClosed)
        db.close()
        #expect(db.isClosed)
        #expect(throws: DuckDBError.self) { try db.connect() }
    }

    @Test func inMemoryDatabasesArePrivate() throws {
        let first = try Database.inMemory().connect()
        let second = try Database.inMemory().connect()
        try first.execute("CREATE TABLE only_here (x INTEGER)")
        let error = #expect(throws: DuckDBError.self) { try second.query("SELECT * FROM only_here") }
        #expect(error?.code == .binder)
    }

    @Test func fileDatabasePersistsAcrossReopen() throws {
        let dir = TemporaryDirectory()
        let path = dir.path("persist.duckdb")
        do {
            let db = try Database(path: path)
            let connection = try db.connect()
            try connection.execute("CREATE TABLE t (x INTEGER)")
            try connection.execute("INSERT INTO t VALUES (42)")
            connection.close()
            db.close()
        }
        let reopened = try Database(path: path)
        #expect(try reopened.connect().query("SELECT x FROM t").scalar() == .int(42))
    }

    @Test func samePathSharesOneInstance() throws {
        let dir = TemporaryDirectory()
        let path = dir.path("shared.duckdb")
        let a = try Database(path: path)
        let b = try Database(path: path)
        try a.connect().execute("CREATE TABLE t AS SELECT 7 AS x")
        #expect(try b.connect().query("SELECT x FROM t").scalar() == .int(7))
    }

    @Test func conflictingConfigurationIsRefused() throws {
        let dir = TemporaryDirectory()
        let path = dir.path("conflict.duckdb")
        var first = DatabaseConfiguration()
        first.threads = 1
        let db = try Database(path: path, configuration: first)
        var second = DatabaseConfiguration()
        second.threads = 2
        let error = #expect(throws: DuckDBError.self) { try Database(path: path, configuration: second) }
        #expect(error?.code == .configurationConflict)
        // The first handle is unharmed.
        #expect(try db.connect().query("SELECT 1").scalar() == .int(1))
    }

    @Test func readOnlyRefusesWrites() throws {
        let dir = TemporaryDirectory()
        let path = dir.path("ro.duckdb")
        do {
            let db = try Database(path: path)
            try db.connect().execute("CREATE TABLE t AS SELECT 1 AS x")
            db.close()
        }
        var config = DatabaseConfiguration()
        config.accessMode = .readOnly
        let db = try Database(path: path, configuration: config)
        let connection = try db.connect()
        #expect(try connection.query("SELECT x FROM t").scalar() == .int(1))
        let error = #expect(throws: DuckDBError.self) { try connection.execute("INSERT INTO t VALUES (2)") }
        #expect(error?.code == .invalidInput || error?.code == .permission)
        #expect(try connection.query("SELECT count(*) FROM t").scalar() == .int(1))
    }

    @Test func typedOptionsApply() throws {
        var config = DatabaseConfiguration()
        config.threads = 3
        config.memoryLimit = "512MB"
        let connection = try Database.inMemory(configuration: config).connect()
        #expect(try connection.query("SELECT current_setting('threads')").scalar() == .int(3))
        let limit = try connection.query("SELECT current_setting('memory_limit')").scalar()
        #expect(limit?.description.contains("MiB") == true || limit?.description.contains("MB") == true)
    }

    @Test func unknownOptionIsAnError() throws {
        var config = DatabaseConfiguration()
        config.additionalOptions = ["no_such_option_anywhere": "1"]
        #expect(throws: DuckDBError.self) { try Database.inMemory(configuration: config) }
    }
}
