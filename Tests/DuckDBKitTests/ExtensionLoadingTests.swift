import DuckDBKit
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// DuckPool's libduckdb has no parquet, json or icu inside: they load on first use from the
/// official extension files that `scripts/install-extensions.sh` installs (`make test` runs it).
/// Each test opens its own in-memory database, so each one autoloads for itself, and shows that
/// the same statement fails with an empty extension directory. That second half runs only for an
/// extension this libduckdb does not have built in (a full build, such as the shared prebuilt
/// one, has parquet, json and icu inside); httpfs and quack are never built in, so the typed
/// error is always checked.
@Suite(.testThreads, .timeLimit(.minutes(2))) struct ExtensionLoadingTests {
    /// Runs `sql` on a database whose extension directory is empty and expects the typed error
    /// naming the install command. A statement that works with the installed extensions and fails
    /// here shows that its extension came from the directory and is not built into libduckdb.
    private func expectExtensionMissing(
        _ sql: String, extension name: String, autoload: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        guard try !Self.isBuiltIn(name) else { return }
        let empty = TemporaryDirectory()
        var configuration = DatabaseConfiguration()
        configuration.extensionDirectory = empty.url.path
        configuration.autoLoadKnownExtensions = autoload
        let connection = try Database.inMemory(configuration: configuration).connect()
        let error = #expect(throws: DuckDBError.self, "built into this libduckdb? \(sql)", sourceLocation: sourceLocation) {
            try connection.execute(sql)
        }
        #expect(error?.code == .extensionMissing, "\(sql): \(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.message.contains(ExtensionDirectory.installCommand) == true, sourceLocation: sourceLocation)
    }

    @Test func copyRoundTripsThroughParquet() throws {
        let dir = TemporaryDirectory()
        let connection = try Database.inMemory().connect()
        try connection.execute("""
            CREATE TABLE bars AS SELECT range AS id, 'S' || range AS symbol, range * 0.5 AS close FROM range(1000)
            """)
        let file = dir.path("bars.parquet")
        try connection.execute("COPY bars TO '\(file)' (FORMAT parquet)")
        try connection.execute("CREATE TABLE back AS SELECT * FROM bars LIMIT 0")
        #expect(try connection.execute("COPY back FROM '\(file)' (FORMAT parquet)") == 1000)
        #expect(try connection.query("SELECT count(*) FROM (SELECT * FROM bars EXCEPT SELECT * FROM back)").scalar() == .int(0))
        try expectExtensionMissing("COPY (SELECT 1 AS x) TO '\(dir.path("other.parquet"))' (FORMAT parquet)", extension: "parquet")
    }

    @Test func jsonWritesAndReads() throws {
        let dir = TemporaryDirectory()
        let connection = try Database.inMemory().connect()
        let file = dir.path("bars.json")
        try connection.execute("COPY (SELECT range AS id, 'S' || range AS symbol FROM range(3)) TO '\(file)' (FORMAT json)")
        let rows = try connection.query("SELECT id, symbol FROM read_json('\(file)') ORDER BY id").rows()
        #expect(rows == [[.int(0), .string("S0")], [.int(1), .string("S1")], [.int(2), .string("S2")]])
        #expect(try connection.query(#"SELECT '{"a": {"b": 7}}'::JSON ->> '$.a.b'"#).scalar() == .string("7"))
        try expectExtensionMissing("SELECT * FROM read_json('\(file)')", extension: "json")
    }

    @Test func timeZonesConvert() throws {
        let connection = try Database.inMemory().connect()
        try connection.execute("SET TimeZone = 'America/New_York'")
        let local = try connection.query("SELECT (TIMESTAMPTZ '2024-07-01 12:00:00+00')::VARCHAR").scalar()
        #expect(local == .string("2024-07-01 08:00:00-04"))
        let shanghai = try connection.query(
            "SELECT timezone('Asia/Shanghai', TIMESTAMPTZ '2024-01-01 00:00:00+00')::VARCHAR").scalar()
        #expect(shanghai == .string("2024-01-01 08:00:00"))
        try expectExtensionMissing("SET TimeZone = 'America/New_York'", extension: "icu")
    }

    @Test func everyWayDuckDBReportsAMissingExtensionIsTyped() throws {
        let file = TemporaryDirectory().path("x.parquet")
        try expectExtensionMissing("LOAD httpfs", extension: "httpfs")                                       // never built in
        try expectExtensionMissing("COPY (SELECT 1 AS x) TO '\(file)' (FORMAT parquet)", extension: "parquet") // autoload fails
        try expectExtensionMissing("SET TimeZone = 'Asia/Tokyo'", extension: "icu")                         // an extension's setting
        try expectExtensionMissing("LOAD json", extension: "json")                                         // an explicit load
        try expectExtensionMissing("SELECT * FROM read_json('\(file)')", extension: "json", autoload: false) // a catalog error
    }

    @Test func configurationDefaultsPointAtTheInstalledExtensions() {
        let configuration = DatabaseConfiguration()
        #expect(configuration.extensionDirectory == ExtensionDirectory.defaultPath)
        #expect(configuration.autoInstallKnownExtensions == false)
        #expect(configuration.autoLoadKnownExtensions == true)
    }

    @Test func theDirectoryResolvesAsTheInstallerResolvesIt() {
        #expect(ExtensionDirectory.path(environment: ["DUCKPOOL_EXTENSION_DIR": "/x", "DUCKPOOL_CACHE_DIR": "/c"]) == "/x")
        #expect(ExtensionDirectory.path(environment: ["DUCKPOOL_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/g"]) == "/c/extensions")
        #expect(ExtensionDirectory.path(environment: ["XDG_CACHE_HOME": "/g", "HOME": "/h"]) == "/g/duckpool/extensions")
        #expect(ExtensionDirectory.path(environment: ["HOME": "/h"]) == "/h/.cache/duckpool/extensions")
        #expect(ExtensionDirectory.path(environment: ["DUCKPOOL_EXTENSION_DIR": "", "HOME": "/h"]) == "/h/.cache/duckpool/extensions")
    }

    /// Whether this libduckdb has `name` built in: install mode STATICALLY_LINKED, asked with an
    /// empty extension directory (an installed file would be reported instead).
    static func isBuiltIn(_ name: String) throws -> Bool {
        var configuration = DatabaseConfiguration()
        configuration.extensionDirectory = TemporaryDirectory().url.path
        let connection = try Database.inMemory(configuration: configuration).connect()
        let mode = try connection.query("SELECT install_mode::VARCHAR FROM duckdb_extensions() WHERE extension_name = '\(name)'").scalar()
        return mode == .string("STATICALLY_LINKED")
    }
}
