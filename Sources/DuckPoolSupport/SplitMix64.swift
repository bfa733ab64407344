/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast, well-mixed 64-bit generator, for
/// streams that must be reproducible from a seed: the pool state machine's retry jitter (a value
/// type cannot call a global generator and stay deterministic in tests), the CLI's data
/// generator and load generators (one stream per symbol or worker).
///
/// Thread-safety: a value type; each thread owns its own.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Scrambles `seed`, so that neighbouring seeds (0, 1, 2, ...) start far apart.
    package init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 ^ 0xD1B5_4A32_D192_ED03 }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound (modulo reduction; the bias is negligible for the small bounds used).
    package mutating func index(below bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Uniform in [0, 1), 53 bits.
    package mutating func unitDouble() -> Double { Double(next() >> 11) * 0x1p-53 }
}
