import DuckPool
import Foundation

/// The load of the SIGKILL durability test: a few tasks write batches of ``rowsPerBatch`` rows
/// through one pool, each batch in one transaction (every third one through `bulkInsert`), and
/// report a batch's id only after the call that committed it returned.
enum DurabilityWriter {
    static let rowsPerBatch = 16
    static let table = "durability_rows"

    struct Row: Encodable, Sendable {
        var batch: Int64
        var item: Int32
        var payload: String
    }

    /// Writes `batchesPerTask` batches from each of `tasks` tasks, calling `committed` with each
    /// batch id after its transaction returned success.
    static func run(path: String, tasks: Int = 4, batchesPerTask: Int, committed: @escaping @Sendable (Int64) -> Void) async throws {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 1
        configuration.maximumConnections = tasks
        let pool = try await DuckPool.open(path: path, configuration: configuration)
        try await pool.execute("CREATE TABLE IF NOT EXISTS \(table) (batch BIGINT NOT NULL, item INTEGER NOT NULL, payload VARCHAR NOT NULL)")
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        for number in 0..<batchesPerTask {
                            let batch = Int64(task) * 1_000_000 + Int64(number)
                            try await write(batch: batch, bulk: number % 3 == 2, through: pool)
                            committed(batch)
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }

    private static func write(batch: Int64, bulk: Bool, through pool: DuckPool) async throws {
        let rows = (0..<rowsPerBatch).map { Row(batch: batch, item: Int32($0), payload: "batch \(batch) row \($0)") }
        if bulk {
            try await pool.bulkInsert(into: table, rows: rows)
        } else {
            try await pool.transaction { connection in
                for row in rows {
                    try connection.execute("INSERT INTO \(table) VALUES (?, ?, ?)", [row.batch, row.item, row.payload])
                }
            }
        }
    }

    /// Every batch in the table with its row count.
    static func batchSizes(path: String) throws -> [Int64: Int] {
        let database = try Database(path: path)
        defer { database.close() }
        let connection = try database.connect()
        defer { connection.close() }
        var sizes: [Int64: Int] = [:]
        for row in try connection.query("SELECT batch, count(*) FROM \(table) GROUP BY batch").rows() {
            if case .int(let batch) = row[0], case .int(let count) = row[1] { sizes[batch] = Int(count) }
        }
        return sizes
    }
}
