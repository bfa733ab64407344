internal import CDuckDB

/// One column of a ``ColumnBatch`` as the chunk writer sees it: how many values it has, which
/// table column types it may fill, and how to copy a range of it into a DuckDB vector.
protocol ColumnSource: Sendable {
    var count: Int { get }
    /// The Swift array type, for error messages (`[Int32?]`).
    var swiftType: String { get }
    /// True when this column can fill a table column of `type` without losing anything.
    func canWrite(to type: duckdb_type) -> Bool
    /// Copies `rows` into `vector` (of `type`, accepted by ``canWrite(to:)``), starting at row 0
    /// of the vector. The vector's validity mask is all-valid on entry.
    func write(_ rows: Range<Int>, to vector: duckdb_vector, as type: duckdb_type)
}

/// A Swift value stored in DuckDB vectors exactly as in Swift arrays, so that a range copies
/// with one `memcpy`.
protocol FixedWidthElement: Sendable {
    /// The DuckDB type whose vectors hold this element's bytes unchanged.
    static var nativeType: duckdb_type { get }
    /// The value written under a NULL (numbers have it from `AdditiveArithmetic`).
    static var zero: Self { get }
    /// Other column types the element widens into exactly, and how: see ``FixedWidthColumn``.
    static func widens(to type: duckdb_type) -> Bool
    /// Writes `values` converted to `type` (one that ``widens(to:)`` accepts).
    static func writeWidened(_ values: UnsafeBufferPointer<Self>, to data: UnsafeMutableRawPointer, as type: duckdb_type)
}

extension FixedWidthElement {
    static func widens(to type: duckdb_type) -> Bool { false }
    static func writeWidened(_ values: UnsafeBufferPointer<Self>, to data: UnsafeMutableRawPointer, as type: duckdb_type) {}
}

/// Integer widening: a signed integer fills any wider signed column; an unsigned one any wider
/// unsigned column, or a signed column with more bits.
protocol IntegerElement: FixedWidthElement, FixedWidthInteger {}

extension IntegerElement {
    static func widens(to type: duckdb_type) -> Bool {
        guard let target = IntegerColumnType(type) else { return false }
        if Self.isSigned == target.isSigned { return target.bitWidth > Self.bitWidth }
        return !Self.isSigned && target.bitWidth > Self.bitWidth
    }

    static func writeWidened(_ values: UnsafeBufferPointer<Self>, to data: UnsafeMutableRawPointer, as type: duckdb_type) {
        switch type {
        case DUCKDB_TYPE_SMALLINT: store(values, to: data, as: Int16.self)
        case DUCKDB_TYPE_INTEGER: store(values, to: data, as: Int32.self)
        case DUCKDB_TYPE_BIGINT: store(values, to: data, as: Int64.self)
        case DUCKDB_TYPE_USMALLINT: store(values, to: data, as: UInt16.self)
        case DUCKDB_TYPE_UINTEGER: store(values, to: data, as: UInt32.self)
        case DUCKDB_TYPE_UBIGINT: store(values, to: data, as: UInt64.self)
        default: preconditionFailure("integer widening to an unchecked type")
        }
    }

    private static func store<Target: FixedWidthInteger>(_ values: UnsafeBufferPointer<Self>, to data: UnsafeMutableRawPointer, as: Target.Type) {
        let target = data.assumingMemoryBound(to: Target.self)
        for index in values.indices { target[index] = Target(truncatingIfNeeded: values[index]) } // widening: exact
    }
}

/// The integer column types, by width and signedness.
struct IntegerColumnType {
    let bitWidth: Int
    let isSigned: Bool

    init?(_ type: duckdb_type) {
        switch type {
        case DUCKDB_TYPE_TINYINT: (bitWidth, isSigned) = (8, true)
        case DUCKDB_TYPE_SMALLINT: (bitWidth, isSigned) = (16, true)
        case DUCKDB_TYPE_INTEGER: (bitWidth, isSigned) = (32, true)
        case DUCKDB_TYPE_BIGINT: (bitWidth, isSigned) = (64, true)
        case DUCKDB_TYPE_UTINYINT: (bitWidth, isSigned) = (8, false)
        case DUCKDB_TYPE_USMALLINT: (bitWidth, isSigned) = (16, false)
        case DUCKDB_TYPE_UINTEGER: (bitWidth, isSigned) = (32, false)
        case DUCKDB_TYPE_UBIGINT: (bitWidth, isSigned) = (64, false)
        default: return nil
        }
    }
}

extension Bool: FixedWidthElement {
    static var nativeType: duckdb_type { DUCKDB_TYPE_BOOLEAN }
    static var zero: Bool { false }
}
extension Int8: IntegerElement { static var nativeType: duckdb_type { DUCKDB_TYPE_TINYINT } }
extension Int16: IntegerElement { static var nativeType: duckdb_type { DUCKDB_TYPE_SMALLINT } }
extension Int32: IntegerElement { static var nativeType: duckdb_type { DUCKDB_TYPE_INTEGER } }
extension Int64: IntegerElement { static var nativeType: duckdb_type { DUCKDB_TYPE_BIGINT } }
// Int is 64 bits on every platform DuckPool builds for (64-bit Linux and macOS).
extension Int: IntegerElement { static var nativeType: duckdb_type { DUCKDB_TYPE_BIGINT } }
extension UInt8: IntegerElement { static var nativeType: duckdb_type { DUCKDB_TYPE_UTINYINT } }
extension UInt16: IntegerElement { static var nativeType: duckdb_type { DUCKDB_TYPE_USMALLINT } }
extension UInt32: IntegerElement { static var nativeType: duckdb_type { DUCKDB_TYPE_UINTEGER } }
extension UInt64: IntegerElement { static var nativeType: duckdb_type { DUCKDB_TYPE_UBIGINT } }
extension Double: FixedWidthElement {
    static var nativeType: duckdb_type { DUCKDB_TYPE_DOUBLE }
}
extension Float: FixedWidthElement {
    static var nativeType: duckdb_type { DUCKDB_TYPE_FLOAT }
    static func widens(to type: duckdb_type) -> Bool { type == DUCKDB_TYPE_DOUBLE }
    static func writeWidened(_ values: UnsafeBufferPointer<Float>, to data: UnsafeMutableRawPointer, as type: duckdb_type) {
        let target = data.assumingMemoryBound(to: Double.self)
        for index in values.indices { target[index] = Double(values[index]) }
    }
}
// DuckDBDate is one Int32 (days), DuckDBTimestamp one Int64 (microseconds): DuckDB's layouts.
extension DuckDBDate: FixedWidthElement {
    static var nativeType: duckdb_type { DUCKDB_TYPE_DATE }
    static var zero: DuckDBDate { DuckDBDate(daysSinceEpoch: 0) }
}
extension DuckDBTimestamp: FixedWidthElement {
    static var nativeType: duckdb_type { DUCKDB_TYPE_TIMESTAMP }
    static var zero: DuckDBTimestamp { DuckDBTimestamp(microsecondsSinceEpoch: 0) }
    static func widens(to type: duckdb_type) -> Bool { type == DUCKDB_TYPE_TIMESTAMP_TZ }
    static func writeWidened(_ values: UnsafeBufferPointer<DuckDBTimestamp>, to data: UnsafeMutableRawPointer, as type: duckdb_type) {
        guard let base = values.baseAddress else { return }
        data.copyMemory(from: UnsafeRawPointer(base), byteCount: values.count * MemoryLayout<Int64>.stride)
    }
}

/// `[Bool]`, `[Int32]`, `[Double]`, `[DuckDBDate]`, ...: one `memcpy` per chunk when the column
/// has the element's own type, an exact per-value widening otherwise.
struct FixedWidthColumn<Element: FixedWidthElement>: ColumnSource {
    let values: [Element]
    init(_ values: [Element]) { self.values = values }

    var count: Int { values.count }
    var swiftType: String { "[\(Element.self)]" }

    func canWrite(to type: duckdb_type) -> Bool { type == Element.nativeType || Element.widens(to: type) }

    func write(_ rows: Range<Int>, to vector: duckdb_vector, as type: duckdb_type) {
        guard !rows.isEmpty, let data = duckdb_vector_get_data(vector) else { return }
        values.withUnsafeBufferPointer { all in
            let slice = UnsafeBufferPointer(rebasing: all[rows])
            if type == Element.nativeType {
                precondition(MemoryLayout<Element>.stride == MemoryLayout<Element>.size, "fixed-width elements are packed")
                data.copyMemory(from: UnsafeRawPointer(slice.baseAddress.unsafelyUnwrapped), byteCount: slice.count * MemoryLayout<Element>.stride)
            } else {
                Element.writeWidened(slice, to: data, as: type)
            }
        }
    }
}

/// `[Int32?]`, `[Double?]`, ...: values copied one by one, `nil` cleared in the validity mask.
struct OptionalFixedWidthColumn<Element: FixedWidthElement>: ColumnSource {
    let values: [Element?]
    init(_ values: [Element?]) { self.values = values }

    var count: Int { values.count }
    var swiftType: String { "[\(Element.self)?]" }

    func canWrite(to type: duckdb_type) -> Bool { type == Element.nativeType || Element.widens(to: type) }

    func write(_ rows: Range<Int>, to vector: duckdb_vector, as type: duckdb_type) {
        guard !rows.isEmpty, let data = duckdb_vector_get_data(vector) else { return }
        var dense: [Element] = []
        dense.reserveCapacity(rows.count)
        var nulls: [Int] = []
        for (offset, value) in values[rows].enumerated() {
            if let value { dense.append(value) } else { dense.append(Element.zero); nulls.append(offset) }
        }
        dense.withUnsafeBufferPointer { buffer in
            if type == Element.nativeType {
                data.copyMemory(from: UnsafeRawPointer(buffer.baseAddress.unsafelyUnwrapped), byteCount: buffer.count * MemoryLayout<Element>.stride)
            } else {
                Element.writeWidened(buffer, to: data, as: type)
            }
        }
        ValidityMask.clear(rows: nulls, in: vector)
    }
}

/// Writes DuckDB's NULL markers.
enum ValidityMask {
    /// Marks `rows` (vector positions) NULL.
    static func clear(rows: [Int], in vector: duckdb_vector) {
        guard !rows.isEmpty else { return }
        duckdb_vector_ensure_validity_writable(vector)
        guard let mask = duckdb_vector_get_validity(vector) else { return }
        for row in rows { mask[row >> 6] &= ~(UInt64(1) << UInt64(row & 63)) }
    }
}

/// Writes one string or blob into a VARCHAR or BLOB vector. DuckDB keeps strings of up to 12
/// bytes inside the 16-byte `duckdb_string_t` (length, then the bytes, zero padded); those are
/// written in place, longer ones go through DuckDB, which copies them into the vector's heap.
enum StringWriter {
    @inline(__always)
    static func write(_ bytes: UnsafeBufferPointer<UInt8>, row: Int, data: UnsafeMutableRawPointer, vector: duckdb_vector) {
        if bytes.count <= 12 {
            let slot = data + row * 16
            slot.storeBytes(of: UInt32(bytes.count), as: UInt32.self)
            (slot + 4).initializeMemory(as: UInt8.self, repeating: 0, count: 12)
            if let base = bytes.baseAddress { (slot + 4).copyMemory(from: base, byteCount: bytes.count) }
        } else {
            bytes.withMemoryRebound(to: CChar.self) { chars in
                // Swift strings are valid UTF-8 already; blobs need no check.
                duckdb_unsafe_vector_assign_string_element_len(vector, idx_t(row), chars.baseAddress, idx_t(chars.count))
            }
        }
    }

    @inline(__always)
    static func write(_ string: String, row: Int, data: UnsafeMutableRawPointer, vector: duckdb_vector) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { write($0, row: row, data: data, vector: vector) }
        if done == nil {
            Array(string.utf8).withUnsafeBufferPointer { write($0, row: row, data: data, vector: vector) }
        }
    }
}

/// `[String]` into VARCHAR.
struct StringColumn: ColumnSource {
    let values: [String]
    init(_ values: [String]) { self.values = values }
    var count: Int { values.count }
    var swiftType: String { "[String]" }
    func canWrite(to type: duckdb_type) -> Bool { type == DUCKDB_TYPE_VARCHAR }

    func write(_ rows: Range<Int>, to vector: duckdb_vector, as type: duckdb_type) {
        guard let data = duckdb_vector_get_data(vector) else { return }
        for (offset, value) in values[rows].enumerated() {
            StringWriter.write(value, row: offset, data: data, vector: vector)
        }
    }
}

/// `[String?]` into VARCHAR.
struct OptionalStringColumn: ColumnSource {
    let values: [String?]
    init(_ values: [String?]) { self.values = values }
    var count: Int { values.count }
    var swiftType: String { "[String?]" }
    func canWrite(to type: duckdb_type) -> Bool { type == DUCKDB_TYPE_VARCHAR }

    func write(_ rows: Range<Int>, to vector: duckdb_vector, as type: duckdb_type) {
        guard let data = duckdb_vector_get_data(vector) else { return }
        var nulls: [Int] = []
        for (offset, value) in values[rows].enumerated() {
            if let value {
                StringWriter.write(value, row: offset, data: data, vector: vector)
            } else {
                StringWriter.write(UnsafeBufferPointer(start: nil, count: 0), row: offset, data: data, vector: vector)
                nulls.append(offset)
            }
        }
        ValidityMask.clear(rows: nulls, in: vector)
    }
}

/// `[[UInt8]]` into BLOB.
struct BlobColumn: ColumnSource {
    let values: [[UInt8]]
    init(_ values: [[UInt8]]) { self.values = values }
    var count: Int { values.count }
    var swiftType: String { "[[UInt8]]" }
    func canWrite(to type: duckdb_type) -> Bool { type == DUCKDB_TYPE_BLOB }

    func write(_ rows: Range<Int>, to vector: duckdb_vector, as type: duckdb_type) {
        guard let data = duckdb_vector_get_data(vector) else { return }
        for (offset, value) in values[rows].enumerated() {
            value.withUnsafeBufferPointer { StringWriter.write($0, row: offset, data: data, vector: vector) }
        }
    }
}

/// `[[UInt8]?]` into BLOB.
struct OptionalBlobColumn: ColumnSource {
    let values: [[UInt8]?]
    init(_ values: [[UInt8]?]) { self.values = values }
    var count: Int { values.count }
    var swiftType: String { "[[UInt8]?]" }
    func canWrite(to type: duckdb_type) -> Bool { type == DUCKDB_TYPE_BLOB }

    func write(_ rows: Range<Int>, to vector: duckdb_vector, as type: duckdb_type) {
        guard let data = duckdb_vector_get_data(vector) else { return }
        var nulls: [Int] = []
        for (offset, value) in values[rows].enumerated() {
            if let value {
                value.withUnsafeBufferPointer { StringWriter.write($0, row: offset, data: data, vector: vector) }
            } else {
                StringWriter.write(UnsafeBufferPointer(start: nil, count: 0), row: offset, data: data, vector: vector)
                nulls.append(offset)
            }
        }
        ValidityMask.clear(rows: nulls, in: vector)
    }
}
