/// How a ``Database`` is opened: DuckDB options as typed values.
///
/// Value type; thread-safe. Every property defaults to DuckDB's own default (`nil` = leave it
/// to DuckDB), except the three extension settings, which point DuckDB at DuckPool's installed
/// extensions (``ExtensionDirectory``) and never at the network. Two opens of one file in one process must use equal configurations: DuckDB
/// shares one instance per file, and a conflicting second open fails with
/// ``DuckDBError/Code/configurationConflict``.
///
/// ```swift
/// var config = DatabaseConfiguration()
/// config.threads = 4
/// config.memoryLimit = "2GB"
/// let db = try Database(path: "factorweave.duckdb", configuration: config)
/// ```
public struct DatabaseConfiguration: Sendable, Hashable {
    /// Whether the database may be written. Default: `.automatic` (read-write for files).
    public enum AccessMode: String, Sendable, Hashable {
        case automatic = "AUTOMATIC"
        case readOnly = "READ_ONLY"
        case readWrite = "READ_WRITE"
    }

    /// `access_mode`. Default `.automatic`. `.readOnly` lets many processes open one file at once.
    public var accessMode: AccessMode = .automatic
    /// `threads`: worker threads per query. Default nil: DuckDB uses one per core.
    public var threads: Int?
    /// `memory_limit`, as DuckDB spells it (`"4GB"`, `"80%"`). Default nil: 80% of RAM.
    public var memoryLimit: String?
    /// `temp_directory` for spilling. Default nil: `<database>.tmp`.
    public var tempDirectory: String?
    /// `extension_directory`. Default: ``ExtensionDirectory/defaultPath``, where
    /// `scripts/install-extensions.sh` puts the official extensions. nil leaves it to DuckDB
    /// (`~/.duckdb/extensions`).
    public var extensionDirectory: String? = ExtensionDirectory.defaultPath
    /// `autoinstall_known_extensions`. Default false: DuckDB never downloads an extension; a
    /// missing one fails with ``DuckDBError/Code/extensionMissing``. nil: DuckDB's default.
    public var autoInstallKnownExtensions: Bool? = false
    /// `autoload_known_extensions`. Default true: an installed extension loads on first use
    /// (COPY ... (FORMAT parquet), `read_json`, `SET TimeZone`). nil: DuckDB's default.
    public var autoLoadKnownExtensions: Bool? = true
    /// Any other DuckDB option by name, for example `["default_order": "DESC"]`. Applied after
    /// the typed ones. Unknown names fail at open with ``DuckDBError/Code/invalidInput``.
    public var additionalOptions: [String: String] = [:]

    public init() {}

    /// The options in the order they are applied.
    public var options: [(name: String, value: String)] {
        var list: [(String, String)] = [("access_mode", accessMode.rawValue)]
        if let threads { list.append(("threads", String(threads))) }
        if let memoryLimit { list.append(("memory_limit", memoryLimit)) }
        if let tempDirectory { list.append(("temp_directory", tempDirectory)) }
        if let extensionDirectory { list.append(("extension_directory", extensionDirectory)) }
        if let autoInstallKnownExtensions { list.append(("autoinstall_known_extensions", String(autoInstallKnownExtensions))) }
        if let autoLoadKnownExtensions { list.append(("autoload_known_extensions", String(autoLoadKnownExtensions))) }
        for key in additionalOptions.keys.sorted() { list.append((key, additionalOptions[key] ?? "")) }
        return list
    }
}
