import Foundation

/// Exact conversions between Foundation's `Decimal` and DuckDB's scaled-integer DECIMAL.
enum DecimalConversion {
    private static let powersOfTen: [Int128] = (0...38).map { exponent in
        var value: Int128 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// `unscaled / 10^scale` as a `Decimal`, exactly (up to Decimal's 38 significant digits).
    static func decimal(unscaled: Int128, scale: UInt8) -> Decimal {
        let magnitude = Decimal(string: String(unscaled.magnitude)) ?? 0
        let value = Decimal(sign: unscaled < 0 ? .minus : .plus, exponent: -Int(scale), significand: magnitude)
        return value
    }

    /// The unscaled integer and scale of `value`, or nil when it needs more than 38 digits.
    static func unscaled(_ value: Decimal) -> (Int128, UInt8)? {
        if value.isNaN { return nil }
        let exponent = value.exponent
        guard let significand = Int128(value.significand.magnitude.description) else { return nil }
        let signed = value.sign == .minus ? -significand : significand
        if exponent >= 0 {
            guard exponent <= 38 else { return nil }
            let (scaled, overflow) = signed.multipliedReportingOverflow(by: powersOfTen[exponent])
            return overflow ? nil : (scaled, 0)
        }
        guard -exponent <= 38 else { return nil }
        return (signed, UInt8(-exponent))
    }

    static func powerOfTen(_ exponent: Int) -> Int128 { powersOfTen[exponent] }
}
