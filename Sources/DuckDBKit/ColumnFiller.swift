internal import CDuckDB

/// Fills one column of a ``ColumnarResult`` from DuckDB vectors, chunk by chunk.
///
/// Fixed-width values whose Swift layout is DuckDB's (BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP)
/// are appended with one bulk copy of the vector's data per chunk; narrower integers, FLOAT,
/// DECIMAL and the other timestamp units are widened in one tight loop per chunk; strings are
/// read straight out of `duckdb_string_t`. The validity mask is copied a word at a time, and
/// the values under NULLs are then overwritten with the documented placeholder (DuckDB leaves
/// them undefined). Nothing goes through `DuckDBValue`.
///
/// Owned by one ``QueryResult/columnar()`` call; not shared.
struct ColumnFiller {
    private enum Kind {
        case bool
        case int64(physical: duckdb_type)
        case uint64, int128, uint128, double, float
        case decimal(physical: duckdb_type, scale: Int)
        case string
        case enumeration(physical: duckdb_type)
        case date
        case timestamp(microsecondsPerUnit: Int64, unitsPerMicrosecond: Int64)
        case unsupported
    }

    let column: ResultColumn
    private let kind: Kind
    private var validity = ValidityBuilder()
    private var bools: [Bool] = []
    private var int64s: [Int64] = []
    private var uint64s: [UInt64] = []
    private var int128s: [Int128] = []
    private var uint128s: [UInt128] = []
    private var doubles: [Double] = []
    private var strings: [String] = []
    private var dates: [DuckDBDate] = []
    private var timestamps: [DuckDBTimestamp] = []

    init(_ column: ResultColumn) {
        self.column = column
        self.kind = switch column.typeID {
        case DUCKDB_TYPE_BOOLEAN: .bool
        case DUCKDB_TYPE_TINYINT, DUCKDB_TYPE_SMALLINT, DUCKDB_TYPE_INTEGER, DUCKDB_TYPE_BIGINT,
             DUCKDB_TYPE_UTINYINT, DUCKDB_TYPE_USMALLINT, DUCKDB_TYPE_UINTEGER:
            .int64(physical: column.typeID)
        case DUCKDB_TYPE_UBIGINT: .uint64
        case DUCKDB_TYPE_HUGEINT: .int128
        case DUCKDB_TYPE_UHUGEINT: .uint128
        case DUCKDB_TYPE_DOUBLE: .double
        case DUCKDB_TYPE_FLOAT: .float
        case DUCKDB_TYPE_DECIMAL: .decimal(physical: column.physicalType, scale: Int(column.decimalScale))
        case DUCKDB_TYPE_VARCHAR: .string
        case DUCKDB_TYPE_ENUM: .enumeration(physical: column.physicalType)
        case DUCKDB_TYPE_DATE: .date
        case DUCKDB_TYPE_TIMESTAMP, DUCKDB_TYPE_TIMESTAMP_TZ: .timestamp(microsecondsPerUnit: 1, unitsPerMicrosecond: 1)
        case DUCKDB_TYPE_TIMESTAMP_S: .timestamp(microsecondsPerUnit: 1_000_000, unitsPerMicrosecond: 1)
        case DUCKDB_TYPE_TIMESTAMP_MS: .timestamp(microsecondsPerUnit: 1_000, unitsPerMicrosecond: 1)
        case DUCKDB_TYPE_TIMESTAMP_NS: .timestamp(microsecondsPerUnit: 1, unitsPerMicrosecond: 1_000)
        default: .unsupported
        }
    }

    /// Appends the `rows` rows of `vector` (one column of one chunk).
    /// - Throws: ``DuckDBError/Code/conversion`` when DuckDB hands over a vector without data or
    ///   an ENUM index outside its dictionary (neither should happen).
    mutating func append(_ vector: ColumnVector, rows: Int) throws(DuckDBError) {
        guard rows > 0 else { return }
        let base = validity.count
        if case .unsupported = kind {
            validity.appendValid(rows)
            return
        }
        let mask = vector.validity.map { UnsafePointer($0) }
        let nulls = validity.append(mask, rows: rows)
        guard let data = vector.data.map({ UnsafeRawPointer($0) }) else {
            throw DuckDBError(code: .conversion, message: "DuckDB returned a vector without data for column \"\(column.name)\"")
        }
        let nullMask = nulls > 0 ? mask : nil
        switch kind {
        case .bool: Self.copy(data, rows, into: &bools, nulls: nullMask, placeholder: false)
        case .int64(let physical): Self.appendInteger(data, rows, physical, into: &int64s, nulls: nullMask)
        case .uint64: Self.copy(data, rows, into: &uint64s, nulls: nullMask, placeholder: 0)
        case .int128: Self.copyUnaligned(data, rows, into: &int128s, nulls: nullMask)
        case .uint128: Self.copyUnaligned(data, rows, into: &uint128s, nulls: nullMask)
        case .double: Self.copy(data, rows, into: &doubles, nulls: nullMask, placeholder: .nan)
        case .float: Self.widen(data, rows, Float.self, into: &doubles, nulls: nullMask, placeholder: .nan) { Double($0) }
        case .decimal(let physical, _): Self.appendDecimal(data, rows, physical, into: &int128s, nulls: nullMask)
        case .string: Self.appendStrings(data, rows, into: &strings, nulls: nullMask)
        case .enumeration(let physical):
            try appendEnumeration(data, rows, physical, nulls: nullMask)
        case .date: Self.copy(data, rows, into: &dates, nulls: nullMask, placeholder: DuckDBDate(daysSinceEpoch: 0))
        case .timestamp(let multiplier, let divisor):
            let zero = DuckDBTimestamp(microsecondsSinceEpoch: 0)
            if multiplier == 1, divisor == 1 {
                Self.copy(data, rows, into: &timestamps, nulls: nullMask, placeholder: zero)
            } else {
                Self.widen(data, rows, Int64.self, into: &timestamps, nulls: nullMask, placeholder: zero) {
                    DuckDBTimestamp(microsecondsSinceEpoch: $0 &* multiplier / divisor)
                }
            }
        case .unsupported:
            preconditionFailure("handled above")
        }
        assert(base + rows == validity.count)
    }

    /// The filled column.
    func finish() -> StoredColumn {
        let storage: ColumnStorage = switch kind {
        case .bool: .bool(bools)
        case .int64: .int64(int64s)
        case .uint64: .uint64(uint64s)
        case .int128: .int128(int128s)
        case .uint128: .uint128(uint128s)
        case .double, .float: .double(doubles)
        case .decimal(_, let scale): .decimal(int128s, scale: scale)
        case .string, .enumeration: .string(strings)
        case .date: .date(dates)
        case .timestamp: .timestamp(timestamps)
        case .unsupported: .unsupported
        }
        return StoredColumn(column: column, storage: storage, validity: validity.finish())
    }

    // MARK: - Copy loops (generic, specialised at each call site above)

    /// Grows `values` geometrically so that `extra` more elements fit. (`reserveCapacity` alone
    /// allocates exactly what is asked, which would copy everything again for every chunk.)
    @inline(__always)
    private static func makeRoom<T>(_ values: inout [T], _ extra: Int) {
        let needed = values.count + extra
        if values.capacity < needed { values.reserveCapacity(Swift.max(needed, values.capacity &* 2)) }
    }

    /// One bulk copy: DuckDB's layout for the vector is `T`'s.
    @inline(__always)
    private static func copy<T>(_ data: UnsafeRawPointer, _ rows: Int, into values: inout [T], nulls: UnsafePointer<UInt64>?, placeholder: T) {
        let base = values.count
        makeRoom(&values, rows)
        values.append(contentsOf: UnsafeBufferPointer(start: data.assumingMemoryBound(to: T.self), count: rows))
        if let nulls { fillNulls(&values, from: base, rows, nulls, placeholder) }
    }

    /// One conversion loop from DuckDB's `Source` layout.
    @inline(__always)
    private static func widen<Source, T>(
        _ data: UnsafeRawPointer, _ rows: Int, _ source: Source.Type, into values: inout [T],
        nulls: UnsafePointer<UInt64>?, placeholder: T, _ convert: (Source) -> T
    ) {
        let base = values.count
        makeRoom(&values, rows)
        values.append(contentsOf: UnsafeBufferPointer(start: data.assumingMemoryBound(to: Source.self), count: rows).lazy.map(convert))
        if let nulls { fillNulls(&values, from: base, rows, nulls, placeholder) }
    }

    /// 128-bit values: DuckDB aligns its vectors to 8 bytes, Swift's `Int128` wants 16.
    @inline(__always)
    private static func copyUnaligned<T: FixedWidthInteger>(_ data: UnsafeRawPointer, _ rows: Int, into values: inout [T], nulls: UnsafePointer<UInt64>?) {
        let base = values.count
        makeRoom(&values, rows)
        let stride = MemoryLayout<T>.size
        values.append(contentsOf: (0..<rows).lazy.map { data.loadUnaligned(fromByteOffset: $0 &* stride, as: T.self) })
        if let nulls { fillNulls(&values, from: base, rows, nulls, 0) }
    }

    private static func appendInteger(_ data: UnsafeRawPointer, _ rows: Int, _ physical: duckdb_type, into values: inout [Int64], nulls: UnsafePointer<UInt64>?) {
        switch physical {
        case DUCKDB_TYPE_BIGINT: copy(data, rows, into: &values, nulls: nulls, placeholder: 0)
        case DUCKDB_TYPE_INTEGER: widen(data, rows, Int32.self, into: &values, nulls: nulls, placeholder: 0) { Int64($0) }
        case DUCKDB_TYPE_SMALLINT: widen(data, rows, Int16.self, into: &values, nulls: nulls, placeholder: 0) { Int64($0) }
        case DUCKDB_TYPE_TINYINT: widen(data, rows, Int8.self, into: &values, nulls: nulls, placeholder: 0) { Int64($0) }
        case DUCKDB_TYPE_UINTEGER: widen(data, rows, UInt32.self, into: &values, nulls: nulls, placeholder: 0) { Int64($0) }
        case DUCKDB_TYPE_USMALLINT: widen(data, rows, UInt16.self, into: &values, nulls: nulls, placeholder: 0) { Int64($0) }
        case DUCKDB_TYPE_UTINYINT: widen(data, rows, UInt8.self, into: &values, nulls: nulls, placeholder: 0) { Int64($0) }
        default: preconditionFailure("not an integer type narrower than 64 bits: \(physical)")
        }
    }

    private static func appendDecimal(_ data: UnsafeRawPointer, _ rows: Int, _ physical: duckdb_type, into values: inout [Int128], nulls: UnsafePointer<UInt64>?) {
        switch physical {
        case DUCKDB_TYPE_SMALLINT: widen(data, rows, Int16.self, into: &values, nulls: nulls, placeholder: 0) { Int128($0) }
        case DUCKDB_TYPE_INTEGER: widen(data, rows, Int32.self, into: &values, nulls: nulls, placeholder: 0) { Int128($0) }
        case DUCKDB_TYPE_BIGINT: widen(data, rows, Int64.self, into: &values, nulls: nulls, placeholder: 0) { Int128($0) }
        default: copyUnaligned(data, rows, into: &values, nulls: nulls) // HUGEINT
        }
    }

    /// Strings of up to 12 bytes sit inside the 16-byte `duckdb_string_t`; longer ones point into
    /// DuckDB's string heap. Each becomes one `String` (no allocation up to 15 bytes: Swift's small
    /// strings). A row equal to the previous row of the same chunk reuses that `String` instead of
    /// decoding again (and, past 15 bytes, shares its storage instead of allocating): sorted and
    /// grouped data repeats values in runs, such as a symbol column's thousands of equal rows.
    /// Equal inlined strings are one 16-byte comparison; longer ones, a length check and a
    /// `memcmp`. NULL rows are never read (their bytes are undefined) and hold "".
    private static func appendStrings(_ data: UnsafeRawPointer, _ rows: Int, into values: inout [String], nulls: UnsafePointer<UInt64>?) {
        makeRoom(&values, rows)
        let strings = UnsafeMutablePointer(mutating: data.assumingMemoryBound(to: duckdb_string_t.self))
        var previous = ""
        var previousBytes: (UInt64, UInt64) = (0, 0)
        var previousText: UnsafePointer<CChar>?
        var havePrevious = false
        for row in 0..<rows {
            if let nulls, !cduckdb_row_is_valid(nulls, UInt64(row)) {
                values.append("")
                continue
            }
            let bytes = (
                data.loadUnaligned(fromByteOffset: row &* 16, as: UInt64.self),
                data.loadUnaligned(fromByteOffset: row &* 16 &+ 8, as: UInt64.self)
            )
            var length: UInt32 = 0
            let text = cduckdb_string_data(strings, UInt64(row), &length)
            if havePrevious, bytes.0 == previousBytes.0, // the same length and first 4 bytes
               bytes.1 == previousBytes.1 || Self.equalHeapStrings(text, previousText, length) {
                values.append(previous)
                continue
            }
            previous = String(decoding: UnsafeRawBufferPointer(start: text, count: Int(length)), as: UTF8.self)
            previousBytes = bytes
            previousText = text
            havePrevious = true
            values.append(previous)
        }
    }

    /// Whether two strings of `length` bytes, both longer than the 12 DuckDB inlines, are equal.
    @inline(__always)
    private static func equalHeapStrings(_ lhs: UnsafePointer<CChar>?, _ rhs: UnsafePointer<CChar>?, _ length: UInt32) -> Bool {
        guard length > 12, let lhs, let rhs else { return false }
        return memcmp(lhs, rhs, Int(length)) == 0
    }

    private mutating func appendEnumeration(_ data: UnsafeRawPointer, _ rows: Int, _ physical: duckdb_type, nulls: UnsafePointer<UInt64>?) throws(DuckDBError) {
        let dictionary = column.enumDictionary
        Self.makeRoom(&strings, rows)
        for row in 0..<rows {
            if let nulls, !cduckdb_row_is_valid(nulls, UInt64(row)) {
                strings.append("")
                continue
            }
            let index: Int = switch physical {
            case DUCKDB_TYPE_UTINYINT: Int(data.load(fromByteOffset: row, as: UInt8.self))
            case DUCKDB_TYPE_USMALLINT: Int(data.load(fromByteOffset: row &* 2, as: UInt16.self))
            default: Int(data.load(fromByteOffset: row &* 4, as: UInt32.self))
            }
            guard index < dictionary.count else {
                throw DuckDBError(code: .conversion, message: "ENUM index \(index) outside the dictionary of column \"\(column.name)\"")
            }
            strings.append(dictionary[index])
        }
    }

    /// Overwrites the values under the NULLs of `mask` (rows `base ..< base + rows`).
    private static func fillNulls<T>(_ values: inout [T], from base: Int, _ rows: Int, _ mask: UnsafePointer<UInt64>, _ placeholder: T) {
        values.withUnsafeMutableBufferPointer { buffer in
            var word = 0
            var first = 0
            while first < rows {
                var invalid = ~mask[word]
                if rows - first < 64 { invalid &= (1 &<< UInt64(rows - first)) &- 1 }
                while invalid != 0 {
                    buffer[base &+ first &+ invalid.trailingZeroBitCount] = placeholder
                    invalid &= invalid &- 1
                }
                word += 1
                first += 64
            }
        }
    }
}
