/// Rows given as one typed array per column, for the fastest bulk load
/// (``Appender/appendColumns(_:flushEvery:onFlush:)``, `DuckPool.bulkInsert(into:columns:)`).
///
/// Columns are matched to the table's columns by name; the table's other columns get their
/// DEFAULT (or NULL). Every column must hold the same number of values. Optional arrays
/// (`[Double?]`) put NULL where they hold `nil`.
///
/// ```swift
/// var batch = ColumnBatch()
/// batch.append("symbol", symbols)          // [String]
/// batch.append("trade_date", dates)        // [DuckDBDate]
/// batch.append("close", closes)            // [Double]
/// batch.append("amount", amounts)          // [Double?]: nil is NULL
/// try await pool.bulkInsert(into: "stock_kline", columns: batch)
/// ```
///
/// **Thread-safety:** a `Sendable` value type; the arrays are copied on write, so a batch can be
/// built on one thread and loaded on another.
public struct ColumnBatch: Sendable {
    /// The columns, in the order they were added.
    public private(set) var columns: [(name: String, values: ColumnValues)] = []

    /// An empty batch.
    public init() {}

    /// A batch of these columns, in this order.
    public init(_ columns: KeyValuePairs<String, ColumnValues>) {
        for (name, values) in columns { self.columns.append((name, values)) }
    }

    /// Adds a column. A name given twice is reported when the batch is loaded.
    public mutating func append(_ name: String, _ values: ColumnValues) {
        columns.append((name, values))
    }

    /// The number of rows: the length of the first column (0 for an empty batch).
    /// ``validate()`` checks that every column has this length.
    public var rowCount: Int { columns.first?.values.count ?? 0 }

    /// The column names, in order.
    public var names: [String] { columns.map(\.name) }

    /// Checks that the batch has columns, that no name repeats, and that every column has the same
    /// length.
    /// - Throws: ``DuckDBError/Code/invalidInput`` naming the offending column.
    public func validate() throws(DuckDBError) {
        guard let first = columns.first else {
            throw DuckDBError(code: .invalidInput, message: "a column batch needs at least one column")
        }
        var seen = Set<String>()
        for (name, values) in columns {
            guard seen.insert(name.lowercased()).inserted else {
                throw DuckDBError(code: .invalidInput, message: "column \"\(name)\" appears twice in the batch")
            }
            guard values.count == first.values.count else {
                throw DuckDBError(
                    code: .invalidInput,
                    message: "column \"\(name)\" has \(values.count) values but \"\(first.name)\" has \(first.values.count); every column of a batch must have the same length"
                )
            }
        }
    }
}

extension ColumnBatch {
    public mutating func append(_ name: String, _ values: [Bool]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Bool?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Int8]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Int8?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Int16]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Int16?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Int32]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Int32?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Int64]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Int64?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Int]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Int?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [UInt8]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [UInt8?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [UInt16]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [UInt16?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [UInt32]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [UInt32?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [UInt64]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [UInt64?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Float]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Float?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Double]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [Double?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [String]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [String?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [DuckDBDate]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [DuckDBDate?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [DuckDBTimestamp]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [DuckDBTimestamp?]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [[UInt8]]) { append(name, ColumnValues(values)) }
    public mutating func append(_ name: String, _ values: [[UInt8]?]) { append(name, ColumnValues(values)) }
}

/// One column's values for a ``ColumnBatch``: a typed Swift array, optional elements for NULLs.
///
/// Which table column types each array fills:
///
/// | array | column types |
/// | --- | --- |
/// | `[Bool]` | BOOLEAN |
/// | `[Int8]`, `[Int16]`, `[Int32]`, `[Int64]`/`[Int]` | that integer type, or any wider signed one |
/// | `[UInt8]`, `[UInt16]`, `[UInt32]`, `[UInt64]` | that unsigned type, any wider unsigned one, or a wider signed one |
/// | `[Float]` | FLOAT or DOUBLE |
/// | `[Double]` | DOUBLE |
/// | `[String]` | VARCHAR |
/// | `[[UInt8]]` | BLOB |
/// | `[DuckDBDate]` | DATE |
/// | `[DuckDBTimestamp]` | TIMESTAMP, TIMESTAMP WITH TIME ZONE |
///
/// Any other pairing (say `[Double]` into DECIMAL, or `[Int64]` into INTEGER) is refused with
/// ``DuckDBError/Code/conversion`` before anything is appended: no value is ever narrowed or
/// rounded silently. Load such columns through a DOUBLE/BIGINT staging table, or through the
/// row path (``Appender/appendRows(_:keyEncoding:)``), which lets DuckDB cast.
///
/// **Thread-safety:** a `Sendable` value type.
public struct ColumnValues: Sendable {
    let source: any ColumnSource

    init(source: any ColumnSource) { self.source = source }

    /// The number of values.
    public var count: Int { source.count }

    public init(_ values: [Bool]) { source = FixedWidthColumn(values) }
    public init(_ values: [Bool?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [Int8]) { source = FixedWidthColumn(values) }
    public init(_ values: [Int8?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [Int16]) { source = FixedWidthColumn(values) }
    public init(_ values: [Int16?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [Int32]) { source = FixedWidthColumn(values) }
    public init(_ values: [Int32?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [Int64]) { source = FixedWidthColumn(values) }
    public init(_ values: [Int64?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [Int]) { source = FixedWidthColumn(values) }
    public init(_ values: [Int?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [UInt8]) { source = FixedWidthColumn(values) }
    public init(_ values: [UInt8?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [UInt16]) { source = FixedWidthColumn(values) }
    public init(_ values: [UInt16?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [UInt32]) { source = FixedWidthColumn(values) }
    public init(_ values: [UInt32?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [UInt64]) { source = FixedWidthColumn(values) }
    public init(_ values: [UInt64?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [Float]) { source = FixedWidthColumn(values) }
    public init(_ values: [Float?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [Double]) { source = FixedWidthColumn(values) }
    public init(_ values: [Double?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [DuckDBDate]) { source = FixedWidthColumn(values) }
    public init(_ values: [DuckDBDate?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [DuckDBTimestamp]) { source = FixedWidthColumn(values) }
    public init(_ values: [DuckDBTimestamp?]) { source = OptionalFixedWidthColumn(values) }
    public init(_ values: [String]) { source = StringColumn(values) }
    public init(_ values: [String?]) { source = OptionalStringColumn(values) }
    public init(_ values: [[UInt8]]) { source = BlobColumn(values) }
    public init(_ values: [[UInt8]?]) { source = OptionalBlobColumn(values) }
}
