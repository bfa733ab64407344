/// `Duration` in the units the pool reports and computes with. Foundation-free.
extension Duration {
    /// Whole nanoseconds (truncated toward zero).
    package var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Whole microseconds (truncated toward zero).
    package var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    /// Seconds as a `Double`.
    package var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Milliseconds as a `Double`.
    package var millisecondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }

    /// Seconds with millisecond precision, rounded half away from zero, for messages:
    /// `"31.250s"`, `"-0.001s"`.
    package var formattedSeconds: String {
        let (seconds, attoseconds) = components
        // 1 ms = 10^15 attoseconds.
        var totalMilliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let remainder = attoseconds % 1_000_000_000_000_000
        if remainder >= 500_000_000_000_000 {
            totalMilliseconds += 1
        } else if remainder <= -500_000_000_000_000 {
            totalMilliseconds -= 1
        }
        let sign = totalMilliseconds < 0 ? "-" : ""
        let magnitude = totalMilliseconds.magnitude
        let fraction = String(magnitude % 1000)
        let padded = String(repeating: "0", count: 3 - fraction.count) + fraction
        return "\(sign)\(magnitude / 1000).\(padded)s"
    }

    /// `self` scaled by `factor` (rounded to the nanosecond), never negative.
    package func scaled(by factor: Double) -> Duration {
        .nanoseconds(max(0, Int64((Double(nanoseconds) * factor).rounded())))
    }
}
