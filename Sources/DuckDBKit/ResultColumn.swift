internal import CDuckDB

/// DuckDB's logical types that DuckDBKit reads. Nested types (LIST, STRUCT, MAP, ...) are
/// reported as ``unsupported(_:)`` and read as text through SQL casts if needed.
public enum DuckDBType: Sendable, Hashable {
    case boolean, tinyInt, smallInt, integer, bigInt, hugeInt
    case uTinyInt, uSmallInt, uInteger, uBigInt, uHugeInt
    case float, double
    case decimal(width: UInt8, scale: UInt8)
    case varchar, blob, uuid
    case date, time, timestamp, timestampSeconds, timestampMilliseconds, timestampNanoseconds, timestampWithTimeZone
    case interval
    case enumeration
    case sqlNull
    /// Any other type, with DuckDB's raw `duckdb_type` value.
    case unsupported(Int)
}

/// A column of a ``QueryResult``: its name and logical type.
public struct ResultColumn: Sendable, Hashable {
    /// The column's name as DuckDB reports it (an alias, or the expression text).
    public let name: String
    /// The logical type.
    public let type: DuckDBType
    /// For ENUM columns: the dictionary, in DuckDB's order.
    let enumDictionary: [String]
    /// For DECIMAL and ENUM: the physical storage type.
    let physicalType: duckdb_type
    let typeID: duckdb_type

    public static func == (lhs: ResultColumn, rhs: ResultColumn) -> Bool {
        lhs.name == rhs.name && lhs.type == rhs.type
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(type)
    }

    init(name: String, logicalType: duckdb_logical_type?) {
        self.name = name
        guard let logicalType else {
            self.type = .sqlNull
            self.enumDictionary = []
            self.physicalType = DUCKDB_TYPE_INVALID
            self.typeID = DUCKDB_TYPE_INVALID
            return
        }
        let id = duckdb_get_type_id(logicalType)
        self.typeID = id
        var dictionary: [String] = []
        var physical = id
        switch id {
        case DUCKDB_TYPE_DECIMAL:
            physical = duckdb_decimal_internal_type(logicalType)
            self.type = .decimal(width: duckdb_decimal_width(logicalType), scale: duckdb_decimal_scale(logicalType))
        case DUCKDB_TYPE_ENUM:
            physical = duckdb_enum_internal_type(logicalType)
            let size = duckdb_enum_dictionary_size(logicalType)
            dictionary.reserveCapacity(Int(size))
            for index in 0..<size {
                if let value = duckdb_enum_dictionary_value(logicalType, idx_t(index)) {
                    dictionary.append(String(cString: value))
                    duckdb_free(value)
                }
            }
            self.type = .enumeration
        default:
            self.type = Self.simpleType(id)
        }
        self.physicalType = physical
        self.enumDictionary = dictionary
    }

    private static func simpleType(_ id: duckdb_type) -> DuckDBType {
        switch id {
        case DUCKDB_TYPE_BOOLEAN: .boolean
        case DUCKDB_TYPE_TINYINT: .tinyInt
        case DUCKDB_TYPE_SMALLINT: .smallInt
        case DUCKDB_TYPE_INTEGER: .integer
        case DUCKDB_TYPE_BIGINT: .bigInt
        case DUCKDB_TYPE_HUGEINT: .hugeInt
        case DUCKDB_TYPE_UTINYINT: .uTinyInt
        case DUCKDB_TYPE_USMALLINT: .uSmallInt
        case DUCKDB_TYPE_UINTEGER: .uInteger
        case DUCKDB_TYPE_UBIGINT: .uBigInt
        case DUCKDB_TYPE_UHUGEINT: .uHugeInt
        case DUCKDB_TYPE_FLOAT: .float
        case DUCKDB_TYPE_DOUBLE: .double
        case DUCKDB_TYPE_VARCHAR: .varchar
        case DUCKDB_TYPE_BLOB: .blob
        case DUCKDB_TYPE_UUID: .uuid
        case DUCKDB_TYPE_DATE: .date
        case DUCKDB_TYPE_TIME: .time
        case DUCKDB_TYPE_TIMESTAMP: .timestamp
        case DUCKDB_TYPE_TIMESTAMP_S: .timestampSeconds
        case DUCKDB_TYPE_TIMESTAMP_MS: .timestampMilliseconds
        case DUCKDB_TYPE_TIMESTAMP_NS: .timestampNanoseconds
        case DUCKDB_TYPE_TIMESTAMP_TZ: .timestampWithTimeZone
        case DUCKDB_TYPE_INTERVAL: .interval
        case DUCKDB_TYPE_SQLNULL: .sqlNull
        default: .unsupported(Int(id.rawValue))
        }
    }

    var decimalScale: UInt8 { if case .decimal(_, let scale) = type { scale } else { 0 } }
}
