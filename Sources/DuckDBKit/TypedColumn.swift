/// One column of a ``ColumnarResult`` as a contiguous Swift array plus a NULL bitmap.
///
/// ``values`` has one element per row, NULL rows included, so index `i` is row `i` and the
/// array can go straight into numeric code (`vDSP`, SIMD loops, `withUnsafeBufferPointer`). At a
/// NULL row it holds a placeholder: `.nan` for `Double`, `0` for integers and `Decimal`, `false`,
/// `""`, and day 0 / microsecond 0 (1970-01-01) for dates and timestamps. ``validity`` says
/// which rows are NULL without an `Optional` per value; ``optionals`` builds `[Element?]` when
/// that is easier to work with.
///
/// ```swift
/// let close = try result.doubles("close")
/// if close.hasNulls { ... close.isNull(row) ... }
/// let mean = close.values.reduce(0, +) / Double(close.count)
/// ```
///
/// **Thread-safety:** a `Sendable` value type; the arrays are shared copy-on-write, so a column
/// read from a ``ColumnarResult`` costs no copy when it holds the column's stored type.
public struct TypedColumn<Element: Sendable>: Sendable {
    /// The column's name in the result.
    public let name: String
    /// One value per row; a placeholder at NULL rows (see the type's documentation).
    public let values: [Element]
    /// Which rows are NULL.
    public let validity: ColumnValidity

    /// A column of `values` with the given NULLs. `validity.count` must equal `values.count`
    /// (checked by precondition).
    public init(name: String, values: [Element], validity: ColumnValidity) {
        precondition(values.count == validity.count, "\(values.count) values but a validity mask of \(validity.count) rows")
        self.name = name
        self.values = values
        self.validity = validity
    }

    /// A column without NULLs.
    public init(name: String, values: [Element]) {
        self.init(name: name, values: values, validity: ColumnValidity(allValid: values.count))
    }

    /// The number of rows.
    public var count: Int { values.count }
    /// The number of NULL rows.
    public var nullCount: Int { validity.nullCount }
    /// True when some row is NULL.
    public var hasNulls: Bool { validity.hasNulls }

    /// True when `row` is NULL. `row` must be in `0..<count` (precondition).
    public func isNull(_ row: Int) -> Bool { validity.isNull(row) }

    /// The value at `row`, or nil when it is NULL. `row` must be in `0..<count` (precondition).
    public subscript(row row: Int) -> Element? {
        validity.isNull(row) ? nil : values[row]
    }

    /// One `Optional` per row: nil where the row is NULL. Allocates a new array each call.
    public var optionals: [Element?] {
        guard hasNulls else { return values.map { $0 } }
        return values.indices.map { validity.isNull($0) ? nil : values[$0] }
    }

    /// The values of the rows that are not NULL, in row order.
    public var nonNullValues: [Element] {
        guard hasNulls else { return values }
        return values.indices.compactMap { validity.isNull($0) ? nil : values[$0] }
    }

    /// The same rows and NULLs with each value transformed; `transform` also sees placeholders.
    public func map<T: Sendable, E: Error>(_ transform: (Element) throws(E) -> T) throws(E) -> TypedColumn<T> {
        var mapped: [T] = []
        mapped.reserveCapacity(values.count)
        for value in values { mapped.append(try transform(value)) }
        return TypedColumn<T>(name: name, values: mapped, validity: validity)
    }
}

/// Columns are equal when their names, NULLs and non-NULL values are equal; placeholders are
/// ignored (a NULL `Double` is `.nan`, which equals nothing).
extension TypedColumn: Equatable where Element: Equatable {
    public static func == (lhs: TypedColumn, rhs: TypedColumn) -> Bool {
        guard lhs.name == rhs.name, lhs.validity == rhs.validity else { return false }
        guard lhs.hasNulls else { return lhs.values == rhs.values }
        return lhs.values.indices.allSatisfy { lhs.validity.isNull($0) || lhs.values[$0] == rhs.values[$0] }
    }
}
