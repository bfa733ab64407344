/// Which rows of a ``TypedColumn`` hold a value and which are NULL, one bit per row: DuckDB's
/// own validity layout, copied from its vectors a word at a time.
///
/// Bit `row % 64` of `words[row / 64]` is set when the row holds a value. A column without
/// NULLs stores no words at all (``words`` is empty), so checking ``hasNulls`` first is the
/// fast path. Bits past ``count`` in the last word are zero.
///
/// **Thread-safety:** a `Sendable` value type.
public struct ColumnValidity: Sendable, Hashable {
    /// The number of rows described.
    public let count: Int
    /// The number of NULL rows.
    public let nullCount: Int
    /// The bitmap (bit set = value present), or empty when no row is NULL.
    public let words: [UInt64]

    /// A mask of `count` rows that all hold values.
    public init(allValid count: Int) {
        self.count = count
        self.nullCount = 0
        self.words = []
    }

    /// A mask of `count` rows that are all NULL.
    public init(allNull count: Int) {
        var builder = ValidityBuilder()
        builder.appendNulls(count)
        self = builder.finish()
    }

    init(count: Int, nullCount: Int, words: [UInt64]) {
        self.count = count
        self.nullCount = nullCount
        self.words = nullCount == 0 ? [] : words
    }

    /// True when some row is NULL.
    public var hasNulls: Bool { nullCount > 0 }

    /// True when `row` is NULL. `row` must be in `0..<count` (checked by precondition).
    @inline(__always)
    public func isNull(_ row: Int) -> Bool { !isValid(row) }

    /// True when `row` holds a value. `row` must be in `0..<count` (checked by precondition).
    @inline(__always)
    public func isValid(_ row: Int) -> Bool {
        precondition(row >= 0 && row < count, "row \(row) out of range 0..<\(count)")
        guard !words.isEmpty else { return true }
        return words[row &>> 6] &>> UInt64(row & 63) & 1 == 1
    }

    /// One `Bool` per row, `true` where the row is NULL (allocates `count` bytes).
    public var nulls: [Bool] {
        guard hasNulls else { return Array(repeating: false, count: count) }
        return (0..<count).map { !(words[$0 &>> 6] &>> UInt64($0 & 63) & 1 == 1) }
    }
}

/// Builds a ``ColumnValidity`` chunk by chunk from DuckDB validity masks. The bitmap is only
/// allocated once the first NULL appears; until then appending costs a scan of the chunk's mask
/// (or nothing when DuckDB gives none).
struct ValidityBuilder {
    private(set) var count = 0
    private(set) var nullCount = 0
    /// Empty until the first NULL; then one bit per row appended so far, zero past `count`.
    private var words: [UInt64] = []

    /// Appends `rows` rows whose validity is DuckDB's `mask` (nil: all valid). Returns the
    /// number of NULLs among them.
    @discardableResult
    mutating func append(_ mask: UnsafePointer<UInt64>?, rows: Int) -> Int {
        guard rows > 0 else { return 0 }
        guard let mask else {
            appendValid(rows)
            return 0
        }
        let nulls = Self.nullCount(mask, rows: rows)
        if nulls == 0 {
            appendValid(rows)
            return 0
        }
        materialize()
        var remaining = rows
        var index = 0
        while remaining > 0 {
            let bits = min(64, remaining)
            appendWord(mask[index], bits: bits)
            remaining -= bits
            index += 1
        }
        nullCount += nulls
        return nulls
    }

    /// Appends `rows` rows that hold values.
    mutating func appendValid(_ rows: Int) {
        guard !words.isEmpty else {
            count += rows
            return
        }
        var remaining = rows
        while remaining > 0 {
            let bits = min(64, remaining)
            appendWord(~0, bits: bits)
            remaining -= bits
        }
    }

    /// Appends `rows` NULL rows.
    mutating func appendNulls(_ rows: Int) {
        guard rows > 0 else { return }
        materialize()
        var remaining = rows
        while remaining > 0 {
            let bits = min(64, remaining)
            appendWord(0, bits: bits)
            remaining -= bits
        }
        nullCount += rows
    }

    func finish() -> ColumnValidity {
        ColumnValidity(count: count, nullCount: nullCount, words: words)
    }

    /// The NULLs among the first `rows` bits of `mask`.
    static func nullCount(_ mask: UnsafePointer<UInt64>, rows: Int) -> Int {
        var nulls = 0
        let fullWords = rows &>> 6
        for index in 0..<fullWords { nulls &+= (~mask[index]).nonzeroBitCount }
        let tail = rows & 63
        if tail > 0 { nulls &+= (~mask[fullWords] & Self.lowBits(tail)).nonzeroBitCount }
        return nulls
    }

    @inline(__always) private static func lowBits(_ bits: Int) -> UInt64 {
        bits >= 64 ? ~0 : (1 &<< UInt64(bits)) &- 1
    }

    /// Switches from "all valid so far" to an explicit bitmap.
    private mutating func materialize() {
        guard words.isEmpty, count > 0 else { return }
        let full = count &>> 6
        words.reserveCapacity(full + 1)
        words.append(contentsOf: repeatElement(~0, count: full))
        if count & 63 > 0 { words.append(Self.lowBits(count & 63)) }
    }

    /// Appends the low `bits` (1...64) bits of `word` at row `count`.
    @inline(__always) private mutating func appendWord(_ word: UInt64, bits: Int) {
        let value = word & Self.lowBits(bits)
        let shift = count & 63
        if shift == 0 {
            words.append(value)
        } else {
            words[words.count &- 1] |= value &<< UInt64(shift)
            if shift &+ bits > 64 { words.append(value &>> UInt64(64 &- shift)) }
        }
        count &+= bits
    }
}
