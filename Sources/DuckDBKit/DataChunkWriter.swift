internal import CDuckDB

/// Owns one writable `duckdb_data_chunk` with an appender's column types and fills it, up to
/// `duckdb_vector_size()` rows at a time, from ``ColumnSource``s.
///
/// Not thread-safe; it lives inside one ``Appender`` call.
final class DataChunkWriter {
    private var chunk: duckdb_data_chunk?
    /// The column types, in chunk order.
    let types: [duckdb_type]
    /// Rows per chunk: DuckDB's vector size (2,048 by default).
    let capacity = Int(duckdb_vector_size())

    /// Creates the chunk. `logicalTypes` stay owned by the caller (DuckDB copies them).
    init(logicalTypes: [duckdb_logical_type?]) throws(DuckDBError) {
        types = logicalTypes.map { $0.map(duckdb_get_type_id) ?? DUCKDB_TYPE_INVALID }
        var raw = logicalTypes
        let created = raw.withUnsafeMutableBufferPointer { duckdb_create_data_chunk($0.baseAddress, idx_t($0.count)) }
        guard let created else {
            throw DuckDBError(code: .outOfMemory, message: "could not create a data chunk of \(logicalTypes.count) columns")
        }
        chunk = created
    }

    deinit { if chunk != nil { duckdb_destroy_data_chunk(&chunk) } }

    /// Resets the chunk and fills it with `rows` of every source (source `i` goes to column `i`).
    /// `rows.count` must not exceed ``capacity``.
    func fill(_ sources: [any ColumnSource], rows: Range<Int>) -> duckdb_data_chunk {
        precondition(rows.count <= capacity && sources.count == types.count, "a chunk holds \(capacity) rows of \(types.count) columns")
        let chunk = self.chunk.unsafelyUnwrapped // set in init, cleared only in deinit
        duckdb_data_chunk_reset(chunk)
        for (index, source) in sources.enumerated() {
            guard let vector = duckdb_data_chunk_get_vector(chunk, idx_t(index)) else { continue }
            source.write(rows, to: vector, as: types[index])
        }
        duckdb_data_chunk_set_size(chunk, idx_t(rows.count))
        return chunk
    }
}
