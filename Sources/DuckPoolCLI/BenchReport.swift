import Foundation

/// Formats benchmark results: JSON lines for scripts, a table for people.
enum BenchReport {
    /// One JSON object with the keys the comparison scripts expect.
    static func json(_ result: BenchCellResult) -> String {
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        let fields: [(String, String)] = [
            ("impl", "\"duckpool\""),
            ("mode", "\"\(result.mode.rawValue)\""),
            ("workload", "\"\(result.workload.rawValue)\""),
            ("workers", "\(result.workers)"),
            ("duration_s", String(format: "%.3f", result.seconds)),
            ("queries", "\(result.queries)"),
            ("errors", "\(result.errors)"),
            ("qps", number(result.qps)),
            ("p50_us", number(result.latency.p50)),
            ("p95_us", number(result.latency.p95)),
            ("p99_us", number(result.latency.p99)),
            ("acquire_p50_us", number(result.acquire.p50)),
            ("acquire_p99_us", number(result.acquire.p99)),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// The human report: one row per cell, pool/dedicated ratios, setup notes and first errors.
    /// `timing` is one round's; `rounds` rounds ran per cell, the order of the modes rotating.
    static func table(_ results: [BenchCellResult], timing: BenchTiming, rounds: Int = 1) -> String {
        var lines: [String] = []
        let measure = timing.queriesPerWorker.map { "\($0) queries per worker" } ?? String(format: "%.1f s", timing.duration)
        let perRound = "\(String(format: "%.1f", timing.warmup)) s warm-up, then \(measure)"
        let cell = rounds == 1 ? "per cell: \(perRound)" : "per cell: \(rounds) rounds (modes take turns going first) of \(perRound)"
        lines.append("\(cell); latency = acquire request to result read")
        lines.append("")
        let header = [pad("workload", 9), pad("mode", 18), lpad("workers", 7), lpad("q/s", 10), lpad("p50 µs", 9), lpad("p95 µs", 9),
                      lpad("p99 µs", 9), lpad("acq p50", 8), lpad("acq p99", 8), lpad("errors", 7)].joined(separator: " ")
        lines.append(header)
        lines.append(String(repeating: "-", count: header.count))
        for result in results {
            lines.append([
                pad(result.workload.rawValue, 9), pad(result.mode.rawValue, 18), lpad("\(result.workers)", 7),
                lpad(String(format: "%.0f", result.qps), 10), lpad(micro(result.latency.p50), 9), lpad(micro(result.latency.p95), 9),
                lpad(micro(result.latency.p99), 9), lpad(micro(result.acquire.p50), 8), lpad(micro(result.acquire.p99), 8),
                lpad("\(result.errors)", 7),
            ].joined(separator: " "))
        }
        let ratios = results.filter { $0.mode == .pool }.compactMap { pool -> String? in
            guard let dedicated = results.first(where: { $0.mode == .dedicated && $0.workload == pool.workload && $0.workers == pool.workers }),
                  dedicated.qps > 0 else { return nil }
            return "\(pool.workload.rawValue)/\(pool.workers): \(String(format: "%.2f", pool.qps / dedicated.qps))x"
        }
        if !ratios.isEmpty {
            lines.append("")
            lines.append("pool / dedicated throughput: " + ratios.joined(separator: ", "))
        }
        let notes = Set(results.compactMap(\.note)).sorted()
        if !notes.isEmpty { lines.append("") }
        lines.append(contentsOf: notes)
        for result in results {
            if let error = result.firstError {
                lines.append("first error in \(result.mode.rawValue)/\(result.workload.rawValue)/\(result.workers): \(error)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func micro(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func lpad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
