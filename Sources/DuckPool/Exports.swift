// `import DuckPool` is all a user needs: the wrapper's types (Database, Connection, DuckDBError,
// ...) and the core's configuration types (PoolConfiguration, ...) come with it.
@_exported public import DuckDBKit
@_exported public import DuckPoolCore
