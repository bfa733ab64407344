import Foundation

/// How `Decodable` property names are matched to column names.
public enum KeyDecodingStrategy: Sendable, Hashable {
    /// Property names must equal column names (then case-insensitively).
    case useDefaultKeys
    /// Also match `trade_date` to `tradeDate`. The default.
    case convertFromSnakeCase
}

extension QueryResult {
    /// Decodes every remaining row into `T`, matching coding keys to column names.
    ///
    /// Supported property types: `Bool`, all integer types, `Double`, `Float`, `String`,
    /// `Decimal`, `Date` (from TIMESTAMP or DATE), ``DuckDBDate``, ``DuckDBTimestamp``,
    /// `[UInt8]`, `Data`, `RawRepresentable` enums over those, and Optionals of them (NULL → nil;
    /// a missing column → nil for `decodeIfPresent`).
    ///
    /// - Throws: ``DuckDBError/Code/conversion`` naming the column, for a missing column, a NULL
    ///   in a non-optional property, or a type that does not fit.
    public func decode<T: Decodable>(_ type: T.Type, keyDecoding: KeyDecodingStrategy = .convertFromSnakeCase) throws(DuckDBError) -> [T] {
        let lookup = ColumnLookup(columns: columns, strategy: keyDecoding)
        var values: [T] = []
        let cursor = RowCursor(lookup: lookup)
        while let chunk = nextChunk() {
            cursor.chunk = chunk
            for row in 0..<chunk.count {
                cursor.startRow(row)
                do {
                    values.append(try T(from: RowDecoder(cursor: cursor)))
                } catch let error as DuckDBError {
                    throw error
                } catch {
                    throw DuckDBError(code: .conversion, message: "could not decode \(T.self) from row \(row): \(error)")
                }
            }
        }
        return values
    }
}

/// Column-name → index map, built once per decode.
final class ColumnLookup: Sendable {
    let indexByName: [String: Int]
    let names: [String]

    init(columns: [ResultColumn], strategy: KeyDecodingStrategy) {
        var map: [String: Int] = [:]
        for (index, column) in columns.enumerated().reversed() {
            map[column.name.lowercased()] = index
            if strategy == .convertFromSnakeCase { map[Self.camelCase(column.name).lowercased()] = index }
        }
        for (index, column) in columns.enumerated().reversed() {
            map[column.name] = index
            if strategy == .convertFromSnakeCase { map[Self.camelCase(column.name)] = index }
        }
        self.indexByName = map
        self.names = columns.map(\.name)
    }

    @inline(__always) func index(of key: String) -> Int? {
        indexByName[key] ?? indexByName[key.lowercased()]
    }

    static func camelCase(_ name: String) -> String {
        guard name.contains("_") else { return name }
        let parts = name.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = parts.first else { return name }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// The chunk and row being decoded; one per decode, reused across chunks and rows.
///
/// A `Decodable` type asks for its keys in the same order for every row, so the cursor
/// remembers which column the n-th key of a row resolved to and checks that with one cheap
/// string comparison instead of a dictionary lookup.
final class RowCursor {
    var chunk: DataChunk?
    let lookup: ColumnLookup
    private(set) var row = 0
    private var keyPosition = 0
    private var keyOrder: [(key: String, column: Int)] = []

    init(lookup: ColumnLookup) {
        self.lookup = lookup
    }

    func startRow(_ row: Int) {
        self.row = row
        keyPosition = 0
    }

    var vectors: [ColumnVector] { chunk?.vectors ?? [] }

    func column<K: CodingKey>(for key: K) throws(DuckDBError) -> ColumnVector {
        let name = key.stringValue
        let position = keyPosition
        keyPosition += 1
        let index: Int
        if position < keyOrder.count, keyOrder[position].key == name {
            index = keyOrder[position].column
        } else {
            guard let found = lookup.index(of: name) else {
                throw DuckDBError(code: .conversion, message: "no column named \"\(name)\" in the result (columns: \(lookup.names.joined(separator: ", ")))")
            }
            index = found
            if position == keyOrder.count { keyOrder.append((name, found)) } else if position < keyOrder.count { keyOrder[position] = (name, found) }
        }
        return chunk.unsafelyUnwrapped.vectors[index]
    }
}

struct RowDecoder: Decoder {
    let cursor: RowCursor
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(cursor: cursor))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DuckDBError(code: .conversion, message: "a row decodes as a keyed container (a struct), not an array")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        let vectors = cursor.vectors
        guard vectors.count == 1 else {
            throw DuckDBError(code: .conversion, message: "a single value decodes only from a one-column result")
        }
        return ColumnValueDecoder(vector: vectors[0], row: cursor.row)
    }
}

struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let cursor: RowCursor
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { cursor.lookup.names.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { cursor.lookup.index(of: key.stringValue) != nil }
    // Note: `contains` does not advance the key-order cache; `decodeIfPresent` calls it and
    // then `decodeNil`/`decode`, which do.

    func decodeNil(forKey key: Key) throws -> Bool { try cursor.column(for: key).isNull(cursor.row) }

    private func reader(_ key: Key) throws -> ColumnValueDecoder {
        ColumnValueDecoder(vector: try cursor.column(for: key), row: cursor.row)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try reader(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try reader(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try reader(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try reader(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try reader(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try reader(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try reader(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try reader(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try reader(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try reader(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try reader(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try reader(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try reader(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try reader(key).decode(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try reader(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DuckDBError(code: .conversion, message: "nested containers are not supported (column \"\(key.stringValue)\")")
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DuckDBError(code: .conversion, message: "nested containers are not supported (column \"\(key.stringValue)\")")
    }
    func superDecoder() throws -> any Decoder { throw DuckDBError(code: .conversion, message: "superDecoder is not supported") }
    func superDecoder(forKey key: Key) throws -> any Decoder { try superDecoder() }
}

/// Decodes one value of one column, as a single-value container and as a `Decoder` for
/// `RawRepresentable` and other single-value `Decodable` types.
struct ColumnValueDecoder: SingleValueDecodingContainer, Decoder {
    let vector: ColumnVector
    let row: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DuckDBError(code: .conversion, message: "column \"\(vector.column.name)\" holds a single value, not a keyed container")
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DuckDBError(code: .conversion, message: "column \"\(vector.column.name)\" holds a single value, not an array")
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { vector.isNull(row) }
    func decode(_ type: Bool.Type) throws -> Bool { try vector.bool(row) }
    func decode(_ type: String.Type) throws -> String { try vector.string(row) }
    func decode(_ type: Double.Type) throws -> Double { try vector.double(row) }
    func decode(_ type: Float.Type) throws -> Float { Float(try vector.double(row)) }
    func decode(_ type: Int64.Type) throws -> Int64 { try vector.int64(row) }
    func decode(_ type: Int.Type) throws -> Int { Int(try vector.int64(row)) }
    func decode(_ type: Int8.Type) throws -> Int8 { try exact(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try exact(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try exact(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try exact(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try exact(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try exact(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try exact(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 {
        if case .uint(let value) = try vector.value(row) { return value }
        return try exact(type)
    }

    private func exact<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let value = try vector.int64(row)
        guard let fitted = T(exactly: value) else {
            throw DuckDBError(code: .conversion, message: "value \(value) of column \"\(vector.column.name)\" does not fit \(T.self)")
        }
        return fitted
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // Metatype identity is a pointer comparison; `is X.Type` would be a runtime cast each.
        switch ObjectIdentifier(type) {
        case ObjectIdentifier(DuckDBDate.self): return try vector.date(row) as! T
        case ObjectIdentifier(Date.self): return try vector.timestamp(row).foundationDate as! T
        case ObjectIdentifier(DuckDBTimestamp.self): return try vector.timestamp(row) as! T
        case ObjectIdentifier(Decimal.self): return try vector.decimal(row) as! T
        case ObjectIdentifier([UInt8].self): return try vector.bytes(row) as! T
        case ObjectIdentifier(Data.self): return Data(try vector.bytes(row)) as! T
        default: return try T(from: self)
        }
    }
}
