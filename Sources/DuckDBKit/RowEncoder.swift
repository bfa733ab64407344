import Foundation

extension Appender {
    /// Appends `rows`, one per `Encodable` value, matching coding keys to column names
    /// (`tradeDate` → `trade_date` unless `keyEncoding` is `.useDefaultKeys`). The first row's
    /// keys choose the columns (``setColumns(_:)``), so property order need not match the
    /// table's, and columns the type lacks get their DEFAULT. `nil` optionals append NULL.
    ///
    /// Supported property types: `Bool`, integers, `Double`, `Float`, `String`, `Date` (as
    /// TIMESTAMP), ``DuckDBDate``, ``DuckDBTimestamp``, `Decimal`, `[UInt8]`, `Data`,
    /// `RawRepresentable` enums over those, and Optionals of them.
    ///
    /// - Returns: The number of rows appended.
    /// - Throws: ``DuckDBError``: ``DuckDBError/Code/conversion`` for an unsupported type or a
    ///   row whose keys differ from the first row's, DuckDB's errors otherwise.
    @discardableResult
    public func appendRows<Row: Encodable>(_ rows: some Sequence<Row>, keyEncoding: KeyDecodingStrategy = .convertFromSnakeCase) throws(DuckDBError) -> Int {
        let state = RowEncodingState(appender: self, keyEncoding: keyEncoding)
        var count = 0
        for row in rows {
            do {
                state.startRow()
                try row.encode(to: RowEncoder(state: state))
                try state.finishRow()
            } catch let error as DuckDBError {
                throw error
            } catch {
                throw DuckDBError(code: .conversion, message: "could not encode row \(count) of \(Row.self): \(error)")
            }
            count += 1
        }
        return count
    }
}

/// Tracks the column order across rows. The first row is recorded, then the appender's columns
/// are set from its keys and its values appended; later rows append directly and must use the
/// same keys in the same order (synthesized `Encodable` always does).
final class RowEncodingState {
    let appender: Appender
    let keyEncoding: KeyDecodingStrategy
    private var keys: [String] = []
    private var firstRow: [DuckDBValue]? = []
    private var position = 0

    init(appender: Appender, keyEncoding: KeyDecodingStrategy) {
        self.appender = appender
        self.keyEncoding = keyEncoding
    }

    func startRow() { position = 0 }

    func column(for key: String) throws(DuckDBError) {
        if firstRow != nil {
            keys.append(key)
        } else {
            guard position < keys.count, keys[position] == key else {
                throw DuckDBError(code: .conversion, message: "row encodes \"\(key)\" where the first row encoded \(position < keys.count ? "\"\(keys[position])\"" : "nothing")")
            }
        }
        position += 1
    }

    func append(_ value: DuckDBValue, typed: () throws(DuckDBError) -> Void) throws(DuckDBError) {
        if firstRow != nil { firstRow?.append(value) } else { try typed() }
    }

    func finishRow() throws(DuckDBError) {
        if let recorded = firstRow {
            firstRow = nil
            try appender.setColumns(keys.map { keyEncoding == .convertFromSnakeCase ? Self.snakeCase($0) : $0 })
            for value in recorded { try appender.append(value) }
        } else if position != keys.count {
            throw DuckDBError(code: .conversion, message: "row encodes \(position) values where the first row encoded \(keys.count)")
        }
        try appender.endRow()
    }

    static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                if !result.isEmpty { result.append("_") }
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }
}

struct RowEncoder: Encoder {
    let state: RowEncodingState
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(RowEncodingContainer<Key>(state: state))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnsupportedEncoding(codingPath: []) }
    func singleValueContainer() -> any SingleValueEncodingContainer { UnsupportedEncoding(codingPath: []) }
}

struct RowEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: RowEncodingState
    var codingPath: [any CodingKey] { [] }

    private func put(_ key: Key, _ value: DuckDBValue, _ typed: () throws(DuckDBError) -> Void) throws {
        try state.column(for: key.stringValue)
        try state.append(value, typed: typed)
    }

    mutating func encodeNil(forKey key: Key) throws { try put(key, .null) { () throws(DuckDBError) in try state.appender.appendNull() } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try put(key, .bool(value)) { () throws(DuckDBError) in try state.appender.append(value) } }
    mutating func encode(_ value: String, forKey key: Key) throws { try put(key, .string(value)) { () throws(DuckDBError) in try state.appender.append(value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { try put(key, .double(value)) { () throws(DuckDBError) in try state.appender.append(value) } }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encode(Double(value), forKey: key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try encode(Int64(value), forKey: key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encode(Int64(value), forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encode(Int64(value), forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encode(Int64(value), forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try put(key, .int(value)) { () throws(DuckDBError) in try state.appender.append(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encode(UInt64(value), forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encode(Int64(value), forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encode(Int64(value), forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encode(Int64(value), forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try put(key, .uint(value)) { () throws(DuckDBError) in try state.appender.append(DuckDBValue.uint(value)) } }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        switch value {
        case let date as DuckDBDate: try put(key, .date(date)) { () throws(DuckDBError) in try state.appender.append(date) }
        case let stamp as DuckDBTimestamp: try put(key, .timestamp(stamp)) { () throws(DuckDBError) in try state.appender.append(stamp) }
        case let date as Date:
            let stamp = DuckDBTimestamp(date)
            try put(key, .timestamp(stamp)) { () throws(DuckDBError) in try state.appender.append(stamp) }
        case let decimal as Decimal: try put(key, .decimal(decimal)) { () throws(DuckDBError) in try state.appender.append(DuckDBValue.decimal(decimal)) }
        case let bytes as [UInt8]: try put(key, .blob(bytes)) { () throws(DuckDBError) in try state.appender.append(bytes: bytes) }
        case let data as Data: try put(key, .blob(Array(data))) { () throws(DuckDBError) in try state.appender.append(bytes: data) }
        default:
            // RawRepresentable enums and other single-value types encode through a one-value box.
            let box = SingleValueBox()
            try value.encode(to: SingleValueCapture(box: box))
            guard let captured = box.value else {
                throw DuckDBError(code: .conversion, message: "\(T.self) (key \"\(key.stringValue)\") does not encode as a single value")
            }
            try put(key, captured) { () throws(DuckDBError) in try state.appender.append(captured) }
        }
    }

    // Synthesized Encodable skips nil optionals; a row must keep every column in place.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(UnsupportedKeyed<NestedKey>())
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { UnsupportedEncoding(codingPath: []) }
    mutating func superEncoder() -> any Encoder { SingleValueCapture(box: SingleValueBox()) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { SingleValueCapture(box: SingleValueBox()) }
}

/// Captures the one value a `RawRepresentable` (or similar) type encodes.
final class SingleValueBox { var value: DuckDBValue? }

struct SingleValueCapture: Encoder, SingleValueEncodingContainer {
    let box: SingleValueBox
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { KeyedEncodingContainer(UnsupportedKeyed<Key>()) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnsupportedEncoding(codingPath: []) }
    func singleValueContainer() -> any SingleValueEncodingContainer { self }
    mutating func encodeNil() throws { box.value = .null }
    mutating func encode(_ value: Bool) throws { box.value = .bool(value) }
    mutating func encode(_ value: String) throws { box.value = .string(value) }
    mutating func encode(_ value: Double) throws { box.value = .double(value) }
    mutating func encode(_ value: Float) throws { box.value = .double(Double(value)) }
    mutating func encode(_ value: Int) throws { box.value = .int(Int64(value)) }
    mutating func encode(_ value: Int8) throws { box.value = .int(Int64(value)) }
    mutating func encode(_ value: Int16) throws { box.value = .int(Int64(value)) }
    mutating func encode(_ value: Int32) throws { box.value = .int(Int64(value)) }
    mutating func encode(_ value: Int64) throws { box.value = .int(value) }
    mutating func encode(_ value: UInt) throws { box.value = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { box.value = .int(Int64(value)) }
    mutating func encode(_ value: UInt16) throws { box.value = .int(Int64(value)) }
    mutating func encode(_ value: UInt32) throws { box.value = .int(Int64(value)) }
    mutating func encode(_ value: UInt64) throws { box.value = .uint(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: self) }
}

/// Nested containers have no column to go to: any use records nothing and the caller's
/// single-value check reports the unsupported type.
struct UnsupportedKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    var codingPath: [any CodingKey] { [] }
    private func refuse() throws -> Never { throw DuckDBError(code: .conversion, message: "nested values cannot be appended to a column") }
    mutating func encodeNil(forKey key: Key) throws { try refuse() }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try refuse() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> { KeyedEncodingContainer(UnsupportedKeyed<NestedKey>()) }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { UnsupportedEncoding(codingPath: []) }
    mutating func superEncoder() -> any Encoder { SingleValueCapture(box: SingleValueBox()) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { SingleValueCapture(box: SingleValueBox()) }
}

struct UnsupportedEncoding: UnkeyedEncodingContainer, SingleValueEncodingContainer {
    var codingPath: [any CodingKey]
    var count: Int { 0 }
    private func refuse() throws -> Never { throw DuckDBError(code: .conversion, message: "arrays and nested values cannot be appended to a column") }
    mutating func encodeNil() throws { try refuse() }
    mutating func encode<T: Encodable>(_ value: T) throws { try refuse() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> { KeyedEncodingContainer(UnsupportedKeyed<NestedKey>()) }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }
    mutating func superEncoder() -> any Encoder { SingleValueCapture(box: SingleValueBox()) }
}
