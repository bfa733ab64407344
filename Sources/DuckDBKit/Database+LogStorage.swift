internal import CDuckDB

/// One entry of DuckDB's log, as DuckDB hands it to a storage registered with
/// ``Database/registerLogStorage(named:_:)``. Value type; thread-safe.
public struct DuckDBLogEntry: Sendable, Equatable {
    /// When DuckDB wrote it, in microseconds since the Unix epoch (UTC).
    public var timestampMicroseconds: Int64
    /// DuckDB's level name: `TRACE`, `DEBUG`, `INFO`, `WARNING`, `ERROR` or `FATAL`.
    public var level: String
    /// The log type, for example `Quack` or `QueryLog`.
    public var type: String
    /// The message. Structured log types write a struct literal here, the text that
    /// `parse_duckdb_log_message` reads.
    public var message: String

    public init(timestampMicroseconds: Int64, level: String, type: String, message: String) {
        self.timestampMicroseconds = timestampMicroseconds
        self.level = level
        self.type = type
        self.message = message
    }
}

extension Database {
    /// Registers a log storage named `name` that hands every entry to `handler` as DuckDB writes
    /// it: nothing is kept in memory, and no entry is lost between reads, as can happen when
    /// `duckdb_logs()` is polled and emptied. Select it for the instance with
    /// `CALL enable_logging('TYPE', storage => 'name')`.
    ///
    /// The storage belongs to the database instance (every `Database` on the path shares it) and
    /// lives until the instance shuts down; `handler` is released then.
    ///
    /// **Thread-safety:** `handler` runs on whichever DuckDB thread writes the entry, possibly on
    /// several at once, and may hold DuckDB's log lock while it runs: keep it short, and never
    /// call back into DuckDB from it.
    ///
    /// - Throws: ``DuckDBError/Code/invalidInput`` for an empty name or one containing a NUL byte,
    ///   or when DuckDB refuses the registration (a storage of that name already exists);
    ///   ``DuckDBError/Code/misuse`` after ``close()``.
    public func registerLogStorage(named name: String, _ handler: @escaping @Sendable (DuckDBLogEntry) -> Void) throws(DuckDBError) {
        try CStringArgument.check(name, role: "log storage name")
        guard !name.isEmpty else { throw DuckDBError(code: .invalidInput, message: "a log storage needs a name") }
        let result: Result<Void, DuckDBError> = handle.withLock { pointer in
            guard let database = pointer.raw else { return .failure(.misuse("the database \(path) is closed")) }
            var storage = duckdb_create_log_storage()
            // DuckDB owns the box from here: it releases it through the delete callback when the
            // instance shuts down, or at once when it refuses the registration.
            defer { duckdb_destroy_log_storage(&storage) }
            duckdb_log_storage_set_name(storage, name)
            duckdb_log_storage_set_write_log_entry(storage, { box, timestamp, level, type, message in
                guard let box else { return }
                let entry = DuckDBLogEntry(
                    timestampMicroseconds: timestamp?.pointee.micros ?? 0,
                    level: level.map { String(cString: $0) } ?? "",
                    type: type.map { String(cString: $0) } ?? "",
                    message: message.map { String(cString: $0) } ?? ""
                )
                Unmanaged<LogHandlerBox>.fromOpaque(box).takeUnretainedValue().handler(entry)
            })
            let box = Unmanaged.passRetained(LogHandlerBox(handler)).toOpaque()
            duckdb_log_storage_set_extra_data(storage, box, { box in
                if let box { Unmanaged<LogHandlerBox>.fromOpaque(box).release() }
            })
            guard duckdb_register_log_storage(database, storage) == DuckDBSuccess else {
                // DuckDB 1.5.5 refuses after it has wrapped the storage, and that wrapper's
                // destructor has run the delete callback already; destroying the storage would
                // run it a second time (a double release).
                duckdb_log_storage_set_extra_data(storage, nil, nil)
                return .failure(DuckDBError(code: .invalidInput, message: "DuckDB refused the log storage '\(name)' (is a storage of that name registered already?)"))
            }
            return .success(())
        }
        try result.get()
    }
}

/// The handler of a registered log storage, kept alive by DuckDB through its extra-data pointer.
private final class LogHandlerBox: Sendable {
    let handler: @Sendable (DuckDBLogEntry) -> Void
    init(_ handler: @escaping @Sendable (DuckDBLogEntry) -> Void) { self.handler = handler }
}
