internal import CDuckDB
public import Foundation

/// Up to 2,048 rows of a ``QueryResult``, in DuckDB's columnar layout, with typed reads.
///
/// **Thread-safety:** not `Sendable`. Reads are bounds-checked by precondition (a programmer
/// error); a value of the wrong type, or a NULL read as a non-optional, throws
/// ``DuckDBError/Code/conversion`` naming the column.
public final class DataChunk {
    private var chunk: duckdb_data_chunk?
    /// The number of rows in this chunk.
    public let count: Int
    let vectors: [ColumnVector]
    /// Keeps the column descriptions the vectors point at alive.
    private let infos: [ColumnInfo]

    init(taking chunk: duckdb_data_chunk, infos: [ColumnInfo]) {
        self.chunk = chunk
        self.count = Int(duckdb_data_chunk_get_size(chunk))
        var vectors: [ColumnVector] = []
        vectors.reserveCapacity(infos.count)
        for (index, info) in infos.enumerated() {
            let vector = duckdb_data_chunk_get_vector(chunk, idx_t(index))
            vectors.append(ColumnVector(
                info: info,
                data: duckdb_vector_get_data(vector),
                validity: duckdb_vector_get_validity(vector)
            ))
        }
        self.vectors = vectors
        self.infos = infos
    }

    deinit { if chunk != nil { duckdb_destroy_data_chunk(&chunk) } }

    @inline(__always) private func vector(_ column: Int, _ row: Int) -> ColumnVector {
        precondition(column >= 0 && column < vectors.count, "column \(column) out of range 0..<\(vectors.count)")
        precondition(row >= 0 && row < count, "row \(row) out of range 0..<\(count)")
        return vectors[column]
    }

    /// True when the value is NULL.
    public func isNull(column: Int, row: Int) -> Bool { vector(column, row).isNull(row) }

    public func bool(column: Int, row: Int) throws(DuckDBError) -> Bool { try vector(column, row).bool(row) }
    /// Any integer column that fits, or a DECIMAL with scale 0.
    public func int64(column: Int, row: Int) throws(DuckDBError) -> Int64 { try vector(column, row).int64(row) }
    public func int(column: Int, row: Int) throws(DuckDBError) -> Int { Int(try vector(column, row).int64(row)) }
    /// DOUBLE, FLOAT, DECIMAL (rounded to double) or an integer.
    public func double(column: Int, row: Int) throws(DuckDBError) -> Double { try vector(column, row).double(row) }
    /// VARCHAR, ENUM or UUID.
    public func string(column: Int, row: Int) throws(DuckDBError) -> String { try vector(column, row).string(row) }
    /// BLOB or VARCHAR bytes.
    public func bytes(column: Int, row: Int) throws(DuckDBError) -> [UInt8] { try vector(column, row).bytes(row) }
    public func date(column: Int, row: Int) throws(DuckDBError) -> DuckDBDate { try vector(column, row).date(row) }
    /// Any TIMESTAMP flavour, normalised to microseconds; a DATE at midnight UTC.
    public func timestamp(column: Int, row: Int) throws(DuckDBError) -> DuckDBTimestamp { try vector(column, row).timestamp(row) }
    /// DECIMAL exactly, or an integer.
    public func decimal(column: Int, row: Int) throws(DuckDBError) -> Decimal { try vector(column, row).decimal(row) }
    /// Any supported type as a ``DuckDBValue`` (``DuckDBValue/null`` for NULL).
    public func value(column: Int, row: Int) throws(DuckDBError) -> DuckDBValue { try vector(column, row).value(row) }

    // MARK: - By column name

    /// The index of the column named `name` (exact match first, then case-insensitive).
    /// - Throws: ``DuckDBError/Code/conversion`` when there is no such column.
    public func columnIndex(named name: String) throws(DuckDBError) -> Int {
        if let index = vectors.firstIndex(where: { $0.column.name == name })
            ?? vectors.firstIndex(where: { $0.column.name.lowercased() == name.lowercased() }) {
            return index
        }
        throw DuckDBError(code: .conversion, message: "no column named \"\(name)\" (columns: \(vectors.map(\.column.name).joined(separator: ", ")))")
    }

    public func isNull(_ name: String, row: Int) throws(DuckDBError) -> Bool { isNull(column: try columnIndex(named: name), row: row) }
    public func bool(_ name: String, row: Int) throws(DuckDBError) -> Bool { try bool(column: columnIndex(named: name), row: row) }
    public func int64(_ name: String, row: Int) throws(DuckDBError) -> Int64 { try int64(column: columnIndex(named: name), row: row) }
    public func int(_ name: String, row: Int) throws(DuckDBError) -> Int { try int(column: columnIndex(named: name), row: row) }
    public func double(_ name: String, row: Int) throws(DuckDBError) -> Double { try double(column: columnIndex(named: name), row: row) }
    public func string(_ name: String, row: Int) throws(DuckDBError) -> String { try string(column: columnIndex(named: name), row: row) }
    public func bytes(_ name: String, row: Int) throws(DuckDBError) -> [UInt8] { try bytes(column: columnIndex(named: name), row: row) }
    public func date(_ name: String, row: Int) throws(DuckDBError) -> DuckDBDate { try date(column: columnIndex(named: name), row: row) }
    public func timestamp(_ name: String, row: Int) throws(DuckDBError) -> DuckDBTimestamp { try timestamp(column: columnIndex(named: name), row: row) }
    public func decimal(_ name: String, row: Int) throws(DuckDBError) -> Decimal { try decimal(column: columnIndex(named: name), row: row) }
    public func value(_ name: String, row: Int) throws(DuckDBError) -> DuckDBValue { try value(column: columnIndex(named: name), row: row) }
}
