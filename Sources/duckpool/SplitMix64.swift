/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast, well-mixed 64-bit generator. The CLI
/// keeps one per symbol (`generate`) or per worker (`bench`, `stress`), so every stream is
/// deterministic and independent of how the work is split.
///
/// Thread-safety: a value type; each thread owns its own.
struct SplitMix64 {
    private var state: UInt64

    /// Scrambles `seed`, so that neighbouring seeds (0, 1, 2, ...) start far apart.
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 ^ 0xD1B5_4A32_D192_ED03 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound (modulo reduction; the bias is negligible for the small bounds used).
    mutating func index(below bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Uniform in [0, 1), 53 bits.
    mutating func unitDouble() -> Double { Double(next() >> 11) * 0x1p-53 }
}
