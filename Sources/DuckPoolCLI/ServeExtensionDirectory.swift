import Foundation

/// Where `duckpool serve` has DuckDB look for the official extension files
/// (`<directory>/v1.5.5/linux_amd64/<name>.duckdb_extension`).
///
/// `$DUCKPOOL_EXTENSION_DIR` if set, otherwise `extensions` inside `$DUCKPOOL_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/duckpool`, else `~/.cache/duckpool`; empty variables count as unset. This is
/// the CLI's private copy of the resolution that `scripts/install-extensions.sh` uses; it is
/// meant to give way to one shared helper in DuckDBKit.
///
/// Thread-safe: only reads the environment.
enum ServeExtensionDirectory {
    /// The environment variable that names another directory.
    static let environmentVariable = "DUCKPOOL_EXTENSION_DIR"

    /// The command that installs the pinned official extensions into the directory.
    static let installCommand = "scripts/install-extensions.sh"

    /// The directory for this process's environment.
    static var defaultPath: String { path(environment: ProcessInfo.processInfo.environment) }

    /// The directory for the given environment variables.
    static func path(environment: [String: String]) -> String {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let directory = value(environmentVariable) { return directory }
        let cacheRoot = value("DUCKPOOL_CACHE_DIR")
            ?? ((value("XDG_CACHE_HOME") ?? ((value("HOME") ?? NSHomeDirectory()) + "/.cache")) + "/duckpool")
        return cacheRoot + "/extensions"
    }
}
