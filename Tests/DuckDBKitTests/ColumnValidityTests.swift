@testable import DuckDBKit
import DuckPoolTestTraits
import Testing

/// `ValidityBuilder` appends DuckDB validity masks at any bit offset. DuckDB usually hands out
/// chunks of 2,048 rows (a multiple of 64), so these tests force the offsets real queries rarely
/// reach: chunks of 1, 63, 65 and 100 rows, masks with garbage past the chunk's end, and a first
/// NULL after many all-valid rows.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct ColumnValidityTests {
    /// DuckDB's layout for `valid`: bit i of word i/64 set when row i is valid. Bits past the
    /// end are set, as garbage that the builder must ignore.
    private func mask(_ valid: [Bool]) -> [UInt64] {
        var words = Array(repeating: UInt64.max, count: max(1, (valid.count + 63) / 64))
        for (row, isValid) in valid.enumerated() where !isValid { words[row / 64] &= ~(1 << UInt64(row % 64)) }
        return words
    }

    private func append(_ builder: inout ValidityBuilder, _ valid: [Bool]) {
        let words = mask(valid)
        words.withUnsafeBufferPointer { _ = builder.append($0.baseAddress, rows: valid.count) }
    }

    @Test func chunksOfOddSizesKeepEveryBitInPlace() {
        var builder = ValidityBuilder()
        var expected: [Bool] = []
        var row = 0
        for size in [1, 63, 65, 100, 2048, 7, 64, 129, 0, 3] {
            let valid = (0..<size).map { ($0 + row) % 5 != 2 && ($0 + row) % 31 != 0 }
            append(&builder, valid)
            expected += valid
            row += size
        }
        let validity = builder.finish()
        #expect(validity.count == expected.count)
        #expect(validity.nulls == expected.map { !$0 })
        #expect(validity.nullCount == expected.filter { !$0 }.count)
        #expect(validity.words.count == (expected.count + 63) / 64)
        let lastBits = expected.count % 64
        #expect(validity.words.last.map { lastBits == 0 || $0 >> UInt64(lastBits) == 0 } == true)
    }

    @Test func allValidChunksAllocateNothingUntilTheFirstNull() {
        var builder = ValidityBuilder()
        append(&builder, Array(repeating: true, count: 70))
        builder.appendValid(60) // a chunk without a mask
        #expect(builder.finish().words.isEmpty)
        #expect(!builder.finish().hasNulls)
        append(&builder, [true, false, true])
        let validity = builder.finish()
        #expect(validity.count == 133)
        #expect(validity.nulls == Array(repeating: false, count: 131) + [true, false])
        #expect(validity.isNull(131))
        #expect(validity.isValid(130) && validity.isValid(132))
    }

    @Test func nullRunsAndValidRunsAfterAMaterialisedMask() {
        var builder = ValidityBuilder()
        builder.appendNulls(5)
        builder.appendValid(70)
        builder.appendNulls(1)
        let validity = builder.finish()
        #expect(validity.nulls == Array(repeating: true, count: 5) + Array(repeating: false, count: 70) + [true])
        #expect(validity.nullCount == 6)
        #expect(ColumnValidity(allNull: 3).nulls == [true, true, true])
        #expect(ColumnValidity(allValid: 3).nulls == [false, false, false])
    }
}
