public import Foundation

/// A DECIMAL column in DuckDB's own exact form: unscaled integers and one scale, so that
/// `value = unscaled / 10^scale`. `DECIMAL(18,4)` 12.3456 is unscaled 123456, scale 4.
///
/// Exact arithmetic on prices and amounts is integer arithmetic on ``unscaled`` (add, compare,
/// sum without rounding); ``decimal(at:)`` gives one value as Foundation's `Decimal`. Read it
/// with `ColumnarResult.scaledDecimals(_:)`; integer columns read as scale 0.
///
/// **Thread-safety:** a `Sendable` value type; ``unscaled`` shares the result's array.
public struct ScaledDecimalColumn: Sendable, Equatable {
    /// The unscaled integers, one per row (0 at NULL rows), with the column's NULLs.
    public let unscaled: TypedColumn<Int128>
    /// The number of decimal digits after the point (0 to 38).
    public let scale: Int

    /// A column of `unscaled` values with `scale` digits after the point.
    public init(unscaled: TypedColumn<Int128>, scale: Int) {
        self.unscaled = unscaled
        self.scale = scale
    }

    /// The column's name in the result.
    public var name: String { unscaled.name }
    /// The number of rows.
    public var count: Int { unscaled.count }
    /// Which rows are NULL.
    public var validity: ColumnValidity { unscaled.validity }

    /// The value at `row` exactly, or nil when it is NULL. `row` must be in `0..<count`.
    public func decimal(at row: Int) -> Decimal? {
        unscaled[row: row].map { Self.decimal($0, scale: scale) }
    }

    /// `unscaled / 10^scale` as a `Decimal`, exactly (up to `Decimal`'s 38 significant digits).
    static func decimal(_ unscaled: Int128, scale: Int) -> Decimal {
        let magnitude = unscaled.magnitude
        if let small = UInt64(exactly: magnitude) {
            return Decimal(sign: unscaled < 0 ? .minus : .plus, exponent: -scale, significand: Decimal(small))
        }
        return DecimalConversion.decimal(unscaled: unscaled, scale: UInt8(scale))
    }
}

extension ColumnarResult {
    /// Column `index` as unscaled integers and a scale: DECIMAL with its scale (no copy),
    /// integer columns up to HUGEINT with scale 0. `index` must be in `0..<columnCount`.
    /// - Throws: ``DuckDBError/Code/conversion`` for any other column type.
    public func scaledDecimals(_ index: Int) throws(DuckDBError) -> ScaledDecimalColumn {
        let stored = storedColumn(at: index)
        switch stored.storage {
        case .decimal(let values, let scale): return ScaledDecimalColumn(unscaled: stored.typed(values), scale: scale)
        case .int64, .uint64, .int128:
            return ScaledDecimalColumn(unscaled: try Int128.column(at: index, of: self), scale: 0)
        default: throw stored.mismatch("ScaledDecimalColumn")
        }
    }

    /// The column named `name` as unscaled integers and a scale; see `scaledDecimals(_:)` by index.
    /// - Throws: ``DuckDBError/Code/conversion`` when no column has that name, or for a column
    ///   that is neither DECIMAL nor an integer up to HUGEINT.
    public func scaledDecimals(_ name: String) throws(DuckDBError) -> ScaledDecimalColumn {
        try scaledDecimals(index(of: name))
    }
}
