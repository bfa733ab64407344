import DuckDBKit

/// The properties each fuzzed entry point must keep. A violation stops the run with the input.
///
/// The connection is sandboxed: `enable_external_access = false` and `lock_configuration = true`
/// keep generated SQL away from files, extensions and settings.
enum TextEntryChecks {
    // libFuzzer calls the entry point from one thread, one input at a time.
    nonisolated(unsafe) static let connection: Connection = {
        do {
            let connection = try Database.inMemory().connect()
            try connection.execute("CREATE TABLE sentinel (x INTEGER)")
            try connection.execute("SET enable_external_access = false")
            try connection.execute("SET lock_configuration = true")
            return connection
        } catch {
            fatalError("fuzzer setup failed: \(error)")
        }
    }()

    /// Refills the sentinel table (generated SQL may have changed it) and returns its row count.
    private static func resetSentinel() -> Int {
        _ = try? connection.execute("ROLLBACK")
        _ = try? connection.execute("CREATE TABLE IF NOT EXISTS sentinel (x INTEGER)")
        _ = try? connection.execute("DELETE FROM sentinel")
        _ = try? connection.execute("INSERT INTO sentinel VALUES (1), (2), (3)")
        return sentinelRows()
    }

    private static func sentinelRows() -> Int {
        guard case .int(let count)? = try? connection.query("SELECT count(*) FROM sentinel").scalar() else { return -1 }
        return Int(count)
    }

    /// Text with a NUL must be refused with `invalidInput` before anything runs; otherwise any
    /// outcome but a crash is fine.
    private static func expectRefusedIfNUL(_ text: String, _ body: () throws -> Void) {
        let hasNUL = text.utf8.contains(0)
        let before = hasNUL ? resetSentinel() : 0
        do {
            try body()
            if hasNUL { fatalError("text with a NUL byte was accepted: \(text.debugDescription)") }
        } catch let error as DuckDBError {
            if hasNUL, error.code != .invalidInput { fatalError("NUL text failed with \(error.code), not invalidInput") }
        } catch {
            fatalError("not a DuckDBError: \(error)")
        }
        if hasNUL, sentinelRows() != before { fatalError("NUL text changed data: \(text.debugDescription)") }
    }

    static func sql(_ text: String) {
        expectRefusedIfNUL(text) { _ = try connection.query(text).countRows() }
        expectRefusedIfNUL(text) { _ = try connection.prepare(text) }
    }

    static func script(_ text: String) {
        expectRefusedIfNUL(text) { try connection.executeScript(text) }
    }

    /// A bound string comes back exactly as it went in, NUL bytes and all.
    static func parameter(_ text: String) {
        _ = try? connection.execute("ROLLBACK") // an earlier input may have left a transaction open
        do {
            let echoed = try connection.query("SELECT ?::VARCHAR", [text]).scalar()
            guard echoed == .string(text) else { fatalError("parameter changed: \(text.debugDescription) -> \(String(describing: echoed))") }
        } catch {
            fatalError("binding a string failed: \(error)")
        }
    }

    static func names(_ text: String) {
        expectRefusedIfNUL(text) { _ = try Appender(connection: connection, table: text) }
        expectRefusedIfNUL(text) {
            let appender = try Appender(connection: connection, table: "sentinel")
            try appender.setColumns([text])
        }
    }

    /// `SELECT ((((...1...))))` up to 65,535 levels: DuckDB must refuse (max_expression_depth)
    /// or answer, never overflow its stack.
    static func deepNesting(_ bytes: UnsafeBufferPointer<UInt8>) {
        let depth = bytes.prefix(2).reduce(0) { $0 << 8 | Int($1) }
        let sql = "SELECT " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        _ = try? connection.query(sql).countRows()
    }

    /// A string literal of up to 16 MB.
    static func hugeLiteral(_ bytes: UnsafeBufferPointer<UInt8>) {
        let length = bytes.prefix(3).reduce(0) { $0 << 8 | Int($1) }
        let sql = "SELECT length('" + String(repeating: "x", count: length) + "')"
        _ = try? connection.execute("ROLLBACK")
        guard case .int(let measured)? = try? connection.query(sql).scalar(), measured == length else {
            fatalError("a \(length)-byte literal did not come back with its length")
        }
    }
}
