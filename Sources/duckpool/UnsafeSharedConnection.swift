import StockKline
import ArgumentParser
import CDuckDB
import Foundation
import Synchronization

/// `duckpool crash-repro-child` (hidden): what FactorWeave's code did wrong, done on purpose. Many
/// threads share ONE raw DuckDB connection with no guard and run FactorWeave's queries on it,
/// reading their results as streams (as FactorWeave's `execute(...).fetchdf()` did). DuckDBKit's
/// `Connection` would refuse the second thread (`concurrentUse`), so this uses the C API.
///
/// Prints each distinct DuckDB error the first time it happens (`error: ...`), then a summary;
/// exits 0 when it survived without errors, 3 when DuckDB reported errors. A crash ends it by a
/// signal, which the parent (`duckpool crash-repro`) reports.
struct CrashReproChildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-repro-child",
        abstract: "Share one raw DuckDB connection between threads (run by crash-repro; may crash).",
        shouldDisplay: false
    )

    @Option var threads = 8
    @Option var iterations = 500
    @Option var symbols = 50
    @Option var days = 100

    func run() throws {
        let kline = StockKline.Size(symbols: symbols, days: days)
        var database: duckdb_database?
        guard duckdb_open(nil, &database) == DuckDBSuccess, let database else { throw ExitCode(4) }
        var rawConnection: duckdb_connection?
        guard duckdb_connect(database, &rawConnection) == DuckDBSuccess, let rawConnection else { throw ExitCode(4) }
        let shared = SharedRawConnection(raw: rawConnection)
        guard kline.createStatements.allSatisfy({ shared.run($0) == nil }) else { throw ExitCode(4) }

        let errors = Mutex<[String: Int]>([:])
        let completed = Atomic(0)
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            Thread {
                defer { group.leave() }
                for iteration in 0..<iterations {
                    let message: String?
                    switch (thread + iteration) % 3 {
                    case 0: message = shared.stream(StockKline.firstRowsQuery)
                    case 1: message = shared.run(StockKline.countQuery)
                    default: message = shared.stream(StockKline.symbolQuery, binding: StockKline.symbol(iteration % kline.symbols))
                    }
                    completed.add(1, ordering: .relaxed)
                    guard let message else { continue }
                    let first = errors.withLock { seen -> Bool in
                        seen[message, default: 0] += 1
                        return seen[message] == 1
                    }
                    // Printed at once: the process may not live to print a summary.
                    if first { FileHandle.standardOutput.write(Data("error: \(message)\n".utf8)) }
                }
            }.start()
        }
        group.wait()
        let seen = errors.withLock { $0 }
        let total = seen.values.reduce(0, +)
        print("survived: \(completed.load(ordering: .relaxed)) queries on \(threads) threads sharing one connection, \(total) errors")
        var connection: duckdb_connection? = rawConnection
        duckdb_disconnect(&connection)
        var handle: duckdb_database? = database
        duckdb_close(&handle)
        if total > 0 { throw ExitCode(3) }
    }
}

/// One raw `duckdb_connection` used from many threads at once, on purpose: the bug that
/// `crash-repro` demonstrates. Every method returns DuckDB's error message, or nil.
// @unchecked Sendable: NOT safe, and that is the point; it exists only in the crash-repro child.
private struct SharedRawConnection: @unchecked Sendable {
    let raw: duckdb_connection

    /// Runs `sql` and materialises its result (`duckdb_query`).
    func run(_ sql: String) -> String? {
        var result = duckdb_result()
        defer { duckdb_destroy_result(&result) }
        guard duckdb_query(raw, sql, &result) == DuckDBSuccess else {
            return duckdb_result_error(&result).map { String(cString: $0) } ?? "duckdb_query failed without a message"
        }
        return nil
    }

    /// Prepares `sql`, binds `binding` to its parameter, runs it as a streaming query and fetches
    /// every chunk, as a DataFrame fetch does.
    func stream(_ sql: String, binding: String? = nil) -> String? {
        var statement: duckdb_prepared_statement?
        defer { duckdb_destroy_prepare(&statement) }
        guard duckdb_prepare(raw, sql, &statement) == DuckDBSuccess, let statement else {
            return statement.flatMap { duckdb_prepare_error($0) }.map { String(cString: $0) } ?? "prepare failed"
        }
        if let binding, duckdb_bind_varchar(statement, 1, binding) != DuckDBSuccess {
            return duckdb_prepare_error(statement).map { String(cString: $0) } ?? "bind failed"
        }
        var pending: duckdb_pending_result?
        defer { duckdb_destroy_pending(&pending) }
        guard duckdb_pending_prepared_streaming(statement, &pending) == DuckDBSuccess, let pending else {
            return pending.flatMap { duckdb_pending_error($0) }.map { String(cString: $0) } ?? "pending failed"
        }
        var result = duckdb_result()
        defer { duckdb_destroy_result(&result) }
        guard duckdb_execute_pending(pending, &result) == DuckDBSuccess else {
            return duckdb_result_error(&result).map { String(cString: $0) } ?? "execute failed"
        }
        while true {
            var chunk = duckdb_fetch_chunk(result)
            guard chunk != nil else { break }
            duckdb_destroy_data_chunk(&chunk)
        }
        return duckdb_result_error(&result).map { String(cString: $0) }
    }
}
