import StockKline
import DuckPoolSupport
import DuckPool
import Dispatch
import Foundation

/// The database and pools one stress run works on, and how each operation is carried out.
/// Value type; `Sendable` (pools are shared, everything else is constant).
struct StressWorkload: Sendable {
    /// The pool under test.
    let pool: DuckPool
    /// A private in-memory pool of one connection for the use-after-lease fault only: there the
    /// escaped connection can never have been leased again by another task, so the misuse must
    /// meet `accessRevoked` every time (on a busy shared pool the connection is usually leased
    /// again at once). Used only from ``misuseQueue``, one fault at a time.
    let misusePool: DuckPool
    let kline: StockKline.Size
    let hotRows: Int
    let deadline: Duration
    let conflictHandshakeTimeout: DispatchTimeInterval = .seconds(5)

    /// A query that runs for seconds (about 10 s on one thread) unless interrupted: long enough that
    /// every deadline and cancellation must interrupt it, short enough that a lost interrupt
    /// costs the run seconds, not minutes (and shows up as an unexpected `ok`).
    static let longQuery = "SELECT count(*) FROM range(2000000000) t(i) WHERE t.i = -1"
    static let misuseQueue = DispatchQueue(label: "duckpool.stress.lease-misuse")

    /// Creates the stress tables (dropping old ones) and the small kline table.
    static func createSchema(on connection: Connection, kline: StockKline.Size, hotRows: Int, tasks: Int) throws {
        for table in ["stress_counters", "stress_log", "stress_bulk", "stress_conflict", StockKline.table] {
            try connection.execute("DROP TABLE IF EXISTS \(table)")
        }
        for statement in kline.createStatements { try connection.execute(statement) }
        try connection.execute("CREATE TABLE stress_counters (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
        try connection.execute("INSERT INTO stress_counters SELECT i, 0 FROM range(\(hotRows)) t(i)")
        try connection.execute("CREATE TABLE stress_log (task INTEGER NOT NULL, seq BIGINT NOT NULL, kind VARCHAR NOT NULL)")
        try connection.execute("CREATE TABLE stress_bulk (batch BIGINT NOT NULL, item INTEGER NOT NULL, value DOUBLE NOT NULL, PRIMARY KEY (batch, item))")
        try connection.execute("CREATE TABLE stress_conflict (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
        try connection.execute("INSERT INTO stress_conflict SELECT i, 0 FROM range(\(tasks)) t(i)")
    }
}

/// One row of `stress_bulk`.
struct StressBulkRow: Encodable, Sendable {
    var batch: Int64
    var item: Int32
    var value: Double
}

/// One row of the kline table, decoded by column name.
struct StressBar: Decodable, Sendable {
    var symbol: String
    var tradeDate: DuckDBDate
    var close: Double
    var volume: Int64
}
