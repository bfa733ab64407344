extension QueryResult {
    /// Reads every remaining row into a ``ColumnarResult``: one typed array and one NULL bitmap
    /// per column, filled chunk by chunk with bulk copies from DuckDB's vectors.
    ///
    /// Consumes the result's remaining chunks, like ``rows()``; rows already read through
    /// ``nextChunk()`` are not included. Columns of types columnar results do not read (see
    /// the table in ``ColumnarResult``) are skipped while filling and throw when read.
    ///
    /// **Thread-safety:** call it on the thread that owns this result; the returned value is
    /// `Sendable`.
    /// - Throws: ``DuckDBError/Code/conversion`` if DuckDB hands over a malformed vector (a
    ///   vector without data, an ENUM index outside its dictionary).
    public func columnar() throws(DuckDBError) -> ColumnarResult {
        var fillers = columns.map(ColumnFiller.init)
        var rowCount = 0
        while let chunk = nextChunk() {
            let vectors = chunk.vectors
            for index in fillers.indices {
                try fillers[index].append(vectors[index], rows: chunk.count)
            }
            rowCount += chunk.count
        }
        return ColumnarResult(stored: fillers.map { $0.finish() }, rowCount: rowCount)
    }
}
