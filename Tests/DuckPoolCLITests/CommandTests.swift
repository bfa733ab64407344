import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// The `duckpool` commands, run as a user runs them, small.
@Suite(.testThreads, .timeLimit(.minutes(3))) struct CommandTests {
    @Test func badArgumentsAreRefusedWithTheirName() async throws {
        let cases: [([String], String)] = [
            (["bench", "--workers", "0"], "--workers"),
            (["bench", "--mode", "teleport"], "--mode"),
            (["stress", "--fault-rate", "2"], "--fault-rate"),
            (["stress", "--tasks", "0"], "--tasks"),
            (["crash-repro", "--threads", "0"], "--threads"),
            (["generate", "--symbols", "many"], "--symbols"),
            (["serve", "--db", "absent.duckdb", "--insecure", "--listen", "nowhere"], "--listen"),
        ]
        for (arguments, named) in cases {
            let run = try await DuckPoolBinary.run(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.errors.contains(named), "\(arguments): \(run.errors)")
        }
    }

    @Test func generateWritesTheTableItAnnounces() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("g.duckdb")
        let run = try await DuckPoolBinary.run(["generate", "--db", path, "--symbols", "3", "--days", "20"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("60 rows (3 symbols x 20 days)"))
        let database = try Database(path: path)
        #expect(try database.connect().query("SELECT count(*), count(DISTINCT symbol) FROM stock_kline").rows() == [[.int(60), .int(3)]])
        database.close()
        // A second run finds the table complete and leaves it alone.
        let again = try await DuckPoolBinary.run(["generate", "--db", path, "--symbols", "3", "--days", "20"])
        #expect(again.status == 0)
    }

    @Test func benchPrintsOneJSONObjectPerCellWithTheDocumentedKeys() async throws {
        let directory = TemporaryDirectory()
        let run = try await DuckPoolBinary.run([
            "bench", "--db", directory.path("b.duckdb"), "--symbols", "4", "--days", "260",
            "--mode", "pool,dedicated", "--workload", "seed,point", "--workers", "1,2", "--queries", "20", "--warmup", "0", "--json",
        ])
        #expect(run.status == 0, "\(run.errors)")
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 8) // 2 modes x 2 workloads x 2 worker counts
        let keys: Set<String> = [
            "impl", "mode", "workload", "workers", "duration_s", "queries", "errors", "qps",
            "p50_us", "p95_us", "p99_us", "acquire_p50_us", "acquire_p99_us",
        ]
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(object.keys) == keys)
            #expect(object["errors"] as? Int == 0)
            #expect(object["queries"] as? Int == 20 * (object["workers"] as? Int ?? 0))
        }
    }

    @Test func stressChecksItsInvariantsAndSaysClean() async throws {
        let run = try await DuckPoolBinary.run(["stress", "--ops", "3000", "--tasks", "8", "--pool-size", "4", "--fault-rate", "0.05"])
        #expect(run.status == 0, "\(run.output.suffix(2_000))\(run.errors)")
        #expect(run.output.contains("stress: clean"))
        #expect(!run.output.contains("FAIL "))
    }

    @Test func crashReproRunsTheChildAndThePool() async throws {
        let run = try await DuckPoolBinary.run(["crash-repro", "--threads", "4", "--iterations", "50", "--attempts", "1", "--timeout", "60"])
        #expect(run.output.contains("attempt 1: the child"))
        #expect(run.output.contains("through a DuckPool"))
        #expect(run.output.contains(", 0 errors,"))
    }
}
