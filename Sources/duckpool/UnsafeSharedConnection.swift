import StockKline
import ArgumentParser
import CDuckDB
import DuckPoolCLI
import Foundation
import DuckPoolSupport

/// `duckpool crash-repro-child` (hidden): what FactorWeave's code did wrong, done on purpose. Many
/// threads share ONE raw DuckDB connection with no guard and run FactorWeave's queries on it
/// (``FactorWeaveWorkload``), reading the row queries as streams (as FactorWeave's
/// `execute(...).fetchdf()` did) and checking every result. DuckDBKit's `Connection` would
/// refuse the second thread (`concurrentUse`), so this uses the C API.
///
/// With `--db` it opens that file READ-ONLY (the table must have `--symbols × --days` rows, which
/// it checks on one thread before the sharing starts): a child that dies mid-run then cannot
/// leave anything half-written in a file the parent goes on using, and the parent must have
/// closed the file first (DuckDB refuses a read-only open while another process writes). Without
/// `--db` it creates a predictable table in memory.
///
/// Prints the first few distinct DuckDB errors (`error: ...`) and wrong results (`wrong: ...`) as
/// they happen, then, if it lives, a ``CrashChildReport`` as its last line (one JSON object).
/// Exits 0 when every result was right, 3 when some were not, 4 when it could not set up. A crash
/// ends it by a signal, which the parent reports.
struct CrashReproChildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-repro-child",
        abstract: "Share one raw DuckDB connection between threads (run by crash-repro and demo; may crash).",
        shouldDisplay: false
    )

    @Option var threads = 8
    @Option var iterations = 500
    @Option var symbols = 50
    @Option var days = 100
    @Option(help: "A stock_kline database file, opened read-only (default: a table in memory).")
    var db: String?

    func run() throws {
        let workload = FactorWeaveWorkload(threads: threads, iterations: iterations, symbols: symbols, days: days)
        guard let database = Self.open(db) else { throw ExitCode(4) }
        defer {
            var handle: duckdb_database? = database
            duckdb_close(&handle)
        }
        var rawConnection: duckdb_connection?
        guard duckdb_connect(database, &rawConnection) == DuckDBSuccess, let rawConnection else {
            Self.say("setup: duckdb_connect failed")
            throw ExitCode(4)
        }
        defer {
            var handle: duckdb_connection? = rawConnection
            duckdb_disconnect(&handle)
        }
        let shared = SharedRawConnection(raw: rawConnection)
        if db == nil {
            let kline = StockKline.Size(symbols: symbols, days: days)
            guard kline.createStatements.allSatisfy({ shared.count($0).rows != nil }) else { throw ExitCode(4) }
        }
        // Checked on this thread alone, before any sharing: a wrong count later is the sharing's.
        guard let rows = shared.count(StockKline.countQuery).rows, rows == symbols * days else {
            Self.say("setup: stock_kline does not have \(symbols) x \(days) rows")
            throw ExitCode(4)
        }

        let report = Self.share(shared, workload)
        print(report.line)
        if !report.isClean { throw ExitCode(3) }
    }

    /// Runs the workload on `workload.threads` threads that all use `shared`.
    private static func share(_ shared: SharedRawConnection, _ workload: FactorWeaveWorkload) -> CrashChildReport {
        let report = LockedValue(CrashChildReport(threads: workload.threads, completed: 0, errors: 0, wrong: 0, firstError: nil, firstWrong: nil))
        let printed = LockedValue(Set<String>())
        let group = DispatchGroup()
        for thread in 0..<workload.threads {
            group.enter()
            Thread {
                defer { group.leave() }
                for iteration in 0..<workload.iterations {
                    let query = workload.query(thread: thread, iteration: iteration)
                    let outcome = query.kind == .count ? shared.count(query.sql) : shared.stream(query.sql, binding: query.symbol)
                    let line: String? = report.withLock { report in
                        report.completed += 1
                        switch outcome {
                        case .failed(let message):
                            report.errors += 1
                            report.firstError = report.firstError ?? message
                            return "error: \(message)"
                        case .rows(let got):
                            guard let mismatch = query.mismatch(got) else { return nil }
                            report.wrong += 1
                            report.firstWrong = report.firstWrong ?? mismatch
                            return "wrong: \(mismatch)"
                        }
                    }
                    // Printed at once (the process may not live to print its report); each
                    // distinct line once, and only the first ten.
                    if let line, printed.withLock({ $0.count < 10 && $0.insert(line).inserted }) { say(line) }
                }
            }.start()
        }
        group.wait()
        return report.withLock { $0 }
    }

    /// The database: the file read-only, or a new in-memory one; nil (said why) when it fails.
    private static func open(_ path: String?) -> duckdb_database? {
        var config: duckdb_config?
        guard duckdb_create_config(&config) == DuckDBSuccess, let config else { return nil }
        defer {
            var handle: duckdb_config? = config
            duckdb_destroy_config(&handle)
        }
        if path != nil { duckdb_set_config(config, "access_mode", "READ_ONLY") }
        var database: duckdb_database?
        var message: UnsafeMutablePointer<CChar>?
        guard duckdb_open_ext(path, &database, config, &message) == DuckDBSuccess, let database else {
            say("setup: cannot open \(path ?? ":memory:"): \(message.map { String(cString: $0) } ?? "no message")")
            if let message { duckdb_free(message) }
            return nil
        }
        return database
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// What one query on the shared connection gave: a number of rows (or the count it read), or
/// DuckDB's error message.
private enum RawOutcome {
    case rows(Int)
    case failed(String)

    var rows: Int? {
        if case .rows(let rows) = self { rows } else { nil }
    }
}

/// One raw `duckdb_connection` used from many threads at once, on purpose: the bug that
/// `crash-repro` and `demo` demonstrate.
// @unchecked Sendable: NOT safe, and that is the point; it exists only in the crash-repro child.
private struct SharedRawConnection: @unchecked Sendable {
    let raw: duckdb_connection

    /// Runs `sql` materialised (`duckdb_query`) and reads the BIGINT in its first row and column
    /// (0 when there is none, as for a statement that returns nothing).
    func count(_ sql: String) -> RawOutcome {
        var result = duckdb_result()
        defer { duckdb_destroy_result(&result) }
        guard duckdb_query(raw, sql, &result) == DuckDBSuccess else {
            return .failed(duckdb_result_error(&result).map { String(cString: $0) } ?? "duckdb_query failed without a message")
        }
        guard duckdb_column_count(&result) >= 1, duckdb_column_type(&result, 0) == DUCKDB_TYPE_BIGINT else { return .rows(0) }
        var chunk = duckdb_fetch_chunk(result)
        defer { duckdb_destroy_data_chunk(&chunk) }
        guard let chunk, duckdb_data_chunk_get_size(chunk) >= 1,
              let data = duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk, 0)) else { return .rows(0) }
        return .rows(Int(data.assumingMemoryBound(to: Int64.self).pointee))
    }

    /// Prepares `sql`, binds `binding` to its parameter, runs it as a streaming query and fetches
    /// every chunk, as a DataFrame fetch does; counts the rows.
    func stream(_ sql: String, binding: String? = nil) -> RawOutcome {
        var statement: duckdb_prepared_statement?
        defer { duckdb_destroy_prepare(&statement) }
        guard duckdb_prepare(raw, sql, &statement) == DuckDBSuccess, let statement else {
            return .failed(statement.flatMap { duckdb_prepare_error($0) }.map { String(cString: $0) } ?? "prepare failed")
        }
        if let binding, duckdb_bind_varchar(statement, 1, binding) != DuckDBSuccess {
            return .failed(duckdb_prepare_error(statement).map { String(cString: $0) } ?? "bind failed")
        }
        var pending: duckdb_pending_result?
        defer { duckdb_destroy_pending(&pending) }
        guard duckdb_pending_prepared_streaming(statement, &pending) == DuckDBSuccess, let pending else {
            return .failed(pending.flatMap { duckdb_pending_error($0) }.map { String(cString: $0) } ?? "pending failed")
        }
        var result = duckdb_result()
        defer { duckdb_destroy_result(&result) }
        guard duckdb_execute_pending(pending, &result) == DuckDBSuccess else {
            return .failed(duckdb_result_error(&result).map { String(cString: $0) } ?? "execute failed")
        }
        var rows = 0
        while true {
            var chunk = duckdb_fetch_chunk(result)
            guard let fetched = chunk else { break }
            rows += Int(duckdb_data_chunk_get_size(fetched))
            duckdb_destroy_data_chunk(&chunk)
        }
        if let message = duckdb_result_error(&result) { return .failed(String(cString: message)) }
        return .rows(rows)
    }
}
