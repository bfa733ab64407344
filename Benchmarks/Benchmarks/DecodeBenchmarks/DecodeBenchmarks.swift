import Benchmark
import DuckDBKit
import StockKline

// Micro-benchmarks of DuckDBKit's result reading on an in-memory DuckDB.
//
// Each iteration runs `SELECT * FROM stock_kline` over the same 100,000 rows and reads every row.
// The wall clock is per 100,000 rows, in microseconds (divide by 100 for nanoseconds per row); the
// custom "rows/s" metric is the same figure as a rate. "Query only" runs the query and walks the
// chunks without reading a value: subtract it from the others to get the cost of reading alone.

/// `stock_kline` rows per iteration.
private let rowCount = 100_000
private let selectAll = "SELECT * FROM stock_kline"

private let rowsPerSecond = BenchmarkMetric.custom("rows/s", polarity: .prefersLarger, useScalingFactor: false)

private func makeConfiguration() -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident, rowsPerSecond],
        timeUnits: .microseconds,
        warmupIterations: 3,
        scalingFactor: .one,
        maxDuration: .seconds(5),
        maxIterations: 1_000
    )
}


/// The in-memory database with a filled `stock_kline`, made once per process on first use.
final class DecodeFixture {
    private var database: Database?
    private(set) var connection: Connection?

    func prepare() throws {
        guard self.connection == nil else { return }
        let database = try Database.inMemory()
        let connection = try database.connect()
        // The project's one stock_kline table (the StockKline library): 40 symbols x 2,500 days.
        try StockKline.createPredictable(connection, symbols: 40, days: 2_500)
        let rows = try connection.query(StockBar.self, selectAll).count
        guard rows == rowCount else {
            throw DecodeFixtureError(description: "stock_kline has \(rows) rows, expected \(rowCount)")
        }
        self.database = database
        self.connection = connection
    }

    var ready: Connection {
        guard let connection else { fatalError("benchmark body ran without its setup hook") }
        return connection
    }
}

struct DecodeFixtureError: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body` and records its rate as rows/s (outside the measured region).
private func measureRows(_ benchmark: Benchmark, _ body: () throws -> Int) throws {
    let started = ContinuousClock.now
    let rows = try body()
    let elapsed = ContinuousClock.now - started
    benchmark.stopMeasurement()
    guard rows == rowCount else {
        throw DecodeFixtureError(description: "read \(rows) rows, expected \(rowCount)")
    }
    let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    if nanoseconds > 0 {
        benchmark.measurement(rowsPerSecond, Int(Double(rows) * 1e9 / nanoseconds))
    }
}

let benchmarks: @Sendable () -> Void = {
    let fixture = DecodeFixture()
    let configuration = makeConfiguration()

    Benchmark(
        "Query only, chunks not read (100k rows)",
        configuration: configuration
    ) { (benchmark: Benchmark) throws in
        let connection = fixture.ready
        try measureRows(benchmark) {
            let result = try connection.query(selectAll)
            var rows = 0
            while let chunk = result.nextChunk() {
                rows += chunk.count
            }
            return rows
        }
    } setup: {
        try fixture.prepare()
    }

    Benchmark(
        "Decodable StockBar (100k rows)",
        configuration: configuration
    ) { (benchmark: Benchmark) throws in
        let connection = fixture.ready
        try measureRows(benchmark) {
            let bars = try connection.query(StockBar.self, selectAll)
            blackHole(bars)
            return bars.count
        }
    } setup: {
        try fixture.prepare()
    }

    Benchmark(
        "Columnar queryColumns, all 8 columns (100k rows)",
        configuration: configuration
    ) { (benchmark: Benchmark) throws in
        let connection = fixture.ready
        try measureRows(benchmark) {
            let columns = try connection.queryColumns(selectAll)
            blackHole(columns)
            return columns.rowCount
        }
    } setup: {
        try fixture.prepare()
    }

    Benchmark(
        "Typed chunk reads by index into StockBar (100k rows)",
        configuration: configuration
    ) { (benchmark: Benchmark) throws in
        let connection = fixture.ready
        try measureRows(benchmark) {
            let result = try connection.query(selectAll)
            var bars: [StockBar] = []
            while let chunk = result.nextChunk() {
                for row in 0..<chunk.count {
                    bars.append(StockBar(
                        symbol: try chunk.string(column: 0, row: row),
                        tradeDate: try chunk.date(column: 1, row: row),
                        open: try chunk.double(column: 2, row: row),
                        high: try chunk.double(column: 3, row: row),
                        low: try chunk.double(column: 4, row: row),
                        close: try chunk.double(column: 5, row: row),
                        volume: try chunk.int64(column: 6, row: row),
                        amount: try chunk.double(column: 7, row: row)
                    ))
                }
            }
            blackHole(bars)
            return bars.count
        }
    } setup: {
        try fixture.prepare()
    }

    Benchmark(
        "Typed chunk reads by name into StockBar (100k rows)",
        configuration: configuration
    ) { (benchmark: Benchmark) throws in
        let connection = fixture.ready
        try measureRows(benchmark) {
            let result = try connection.query(selectAll)
            var bars: [StockBar] = []
            while let chunk = result.nextChunk() {
                for row in 0..<chunk.count {
                    bars.append(StockBar(
                        symbol: try chunk.string("symbol", row: row),
                        tradeDate: try chunk.date("trade_date", row: row),
                        open: try chunk.double("open", row: row),
                        high: try chunk.double("high", row: row),
                        low: try chunk.double("low", row: row),
                        close: try chunk.double("close", row: row),
                        volume: try chunk.int64("volume", row: row),
                        amount: try chunk.double("amount", row: row)
                    ))
                }
            }
            blackHole(bars)
            return bars.count
        }
    } setup: {
        try fixture.prepare()
    }

    Benchmark(
        "Typed chunk reads by index, sum of close only (100k rows)",
        configuration: configuration
    ) { (benchmark: Benchmark) throws in
        let connection = fixture.ready
        try measureRows(benchmark) {
            let result = try connection.query(selectAll)
            var rows = 0
            var sum = 0.0
            while let chunk = result.nextChunk() {
                for row in 0..<chunk.count {
                    sum += try chunk.double(column: 5, row: row)
                }
                rows += chunk.count
            }
            blackHole(sum)
            return rows
        }
    } setup: {
        try fixture.prepare()
    }
}
