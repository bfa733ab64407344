/// Formats durations for error messages without Foundation.
enum DurationFormat {
    /// Seconds with millisecond precision, e.g. `"31.250s"` or `"-0.001s"`.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        // Round to whole milliseconds (1 ms = 10^15 attoseconds).
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
}
