import Foundation

/// Where DuckDBKit has DuckDB look for extension files: the directory that
/// `scripts/install-extensions.sh` fills with the official DuckDB 1.5.5 extensions
/// (`<directory>/v1.5.5/linux_amd64/<name>.duckdb_extension`).
///
/// DuckPool's libduckdb is built lean: parquet, json and icu are not inside it but load from here
/// on first use (``DatabaseConfiguration`` defaults to this directory, autoinstall off, autoload
/// on), so COPY to Parquet, `read_json` and time zones work without any network access. When a
/// file is missing, DuckDBKit throws ``DuckDBError/Code/extensionMissing`` naming
/// ``installCommand``.
///
/// The directory resolves as the script resolves it: `$DUCKPOOL_EXTENSION_DIR` if set, otherwise
/// `extensions` inside `$DUCKPOOL_CACHE_DIR`, else `$XDG_CACHE_HOME/duckpool`, else
/// `~/.cache/duckpool`. Empty variables count as unset, as in the script.
///
/// Thread-safe: only reads the environment.
public enum ExtensionDirectory {
    /// The environment variable that overrides the directory, for the script and for DuckDBKit.
    public static let environmentVariable = "DUCKPOOL_EXTENSION_DIR"

    /// The command that installs the pinned official extensions into the directory.
    public static let installCommand = "scripts/install-extensions.sh"

    /// The directory for this process's environment, read at each call.
    public static var defaultPath: String { path(environment: ProcessInfo.processInfo.environment) }

    /// The directory for the given environment variables.
    public static func path(environment: [String: String]) -> String {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let directory = value(environmentVariable) { return directory }
        let cacheRoot = value("DUCKPOOL_CACHE_DIR")
            ?? ((value("XDG_CACHE_HOME") ?? ((value("HOME") ?? NSHomeDirectory()) + "/.cache")) + "/duckpool")
        return cacheRoot + "/extensions"
    }

    /// Appended to DuckDB's message in ``DuckDBError/Code/extensionMissing`` errors: DuckDB's own
    /// hint (`INSTALL`, autoinstall) needs the network, which DuckPool deliberately leaves off.
    static var installHint: String {
        "\n\nDuckPool: install the official DuckDB extensions with `\(installCommand)` (or `make extensions`); "
            + "it fills \(defaultPath) (\(environmentVariable) names another directory)."
    }
}
