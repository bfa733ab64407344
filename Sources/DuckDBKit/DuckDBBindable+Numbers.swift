internal import CDuckDB

/// Binding the narrower and unsigned integers and `Float`, each with DuckDB's own type, so that
/// `WHERE small_column = ?` compares like with like.
extension StatementBinder {
    public func bind(_ value: Int8, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_int8(handle, idx_t(index), value), index, "an Int8")
    }
    public func bind(_ value: Int16, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_int16(handle, idx_t(index), value), index, "an Int16")
    }
    public func bind(_ value: UInt8, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_uint8(handle, idx_t(index), value), index, "a UInt8")
    }
    public func bind(_ value: UInt16, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_uint16(handle, idx_t(index), value), index, "a UInt16")
    }
    public func bind(_ value: UInt32, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_uint32(handle, idx_t(index), value), index, "a UInt32")
    }
    public func bind(_ value: UInt64, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_uint64(handle, idx_t(index), value), index, "a UInt64")
    }
    public func bind(_ value: Float, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_float(handle, idx_t(index), value), index, "a Float")
    }
}

extension Int8: DuckDBBindable {
    /// Binds as TINYINT.
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) { try statement.bind(self, at: index) }
}
extension Int16: DuckDBBindable {
    /// Binds as SMALLINT.
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) { try statement.bind(self, at: index) }
}
extension UInt8: DuckDBBindable {
    /// Binds as UTINYINT.
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) { try statement.bind(self, at: index) }
}
extension UInt16: DuckDBBindable {
    /// Binds as USMALLINT.
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) { try statement.bind(self, at: index) }
}
extension UInt32: DuckDBBindable {
    /// Binds as UINTEGER.
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) { try statement.bind(self, at: index) }
}
extension UInt64: DuckDBBindable {
    /// Binds as UBIGINT.
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) { try statement.bind(self, at: index) }
}
extension UInt: DuckDBBindable {
    /// Binds as UBIGINT.
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) { try statement.bind(UInt64(self), at: index) }
}
extension Float: DuckDBBindable {
    /// Binds as FLOAT.
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) { try statement.bind(self, at: index) }
}
