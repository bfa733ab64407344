public import DuckDBKit

/// SQL (and optionally Swift) that the pool runs to set up a database instance or a connection:
/// ``DuckPoolConfiguration/databaseSetup`` and ``DuckPoolConfiguration/connectionSetup``.
///
/// ```swift
/// var configuration = DuckPoolConfiguration()
/// configuration.databaseSetup = SetupScript("ATTACH 'analytics.duckdb' AS analytics")
/// configuration.connectionSetup = SetupScript("SET TimeZone = 'Asia/Shanghai'", "USE analytics")
/// ```
///
/// The statements run one after the other, then `body`. Two scripts are equal when their
/// statements and names are equal: give a `body` a `name` that changes when the body does (the
/// registry compares configurations). Value type; thread-safe.
public struct SetupScript: Sendable, Hashable {
    /// Statements to run, in order.
    public var statements: [String]
    /// Identifies ``body`` for equality. Default nil.
    public var name: String?
    /// Swift to run after the statements, on the connection being set up (its thread). Default nil.
    public var body: (@Sendable (Connection) throws -> Void)?

    /// A script of `statements`.
    public init(_ statements: String...) {
        self.init(statements: statements)
    }

    /// A script of `statements`, then `body` (identified by `name`).
    public init(statements: [String], name: String? = nil, body: (@Sendable (Connection) throws -> Void)? = nil) {
        self.statements = statements
        self.name = name
        self.body = body
    }

    /// Runs the script on `connection`.
    /// - Throws: the first failing statement's ``DuckDBError``, or what `body` throws.
    func run(on connection: Connection) throws {
        for statement in statements { try connection.execute(statement) }
        try body?(connection)
    }

    public static func == (lhs: SetupScript, rhs: SetupScript) -> Bool {
        lhs.statements == rhs.statements && lhs.name == rhs.name && (lhs.body == nil) == (rhs.body == nil)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(statements)
        hasher.combine(name)
    }
}
