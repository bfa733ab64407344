@testable import DuckPoolCLI
import DuckPool

/// The client side of a Quack test: an in-memory DuckDB with httpfs and quack loaded from the
/// extension directory `duckpool serve` uses, and a secret holding `token`.
struct QuackClient {
    let database: Database
    let connection: Connection

    init(token: String) throws {
        database = try Database.inMemory() // the default configuration: the installed extensions, no downloads
        connection = try database.connect()
        try connection.execute("LOAD httpfs")
        try connection.execute("LOAD quack")
        try connection.execute("CREATE SECRET (TYPE quack, TOKEN '\(token.replacingOccurrences(of: "'", with: "''"))')")
    }

    /// `ATTACH 'uri' AS remote`.
    func attach(_ uri: String) throws {
        try connection.execute("ATTACH '\(uri)' AS remote")
    }

    /// Closes the connection and the database.
    func close() {
        connection.close()
        database.close()
    }
}
