import DuckPoolCore

extension DuckDBError {
    /// The facade throws one error family: the core's pool errors become `DuckDBError`s whose
    /// message carries the core's full description (pool state and holders for timeouts).
    init(_ error: ConnectionPoolError) {
        let code: DuckDBError.Code = switch error.code {
        case .acquireTimeout: .poolTimeout
        case .poolExhausted: .poolExhausted
        case .poolClosed: .poolClosed
        case .nestedAcquisition: .nestedAcquisition
        case .invalidConfiguration: .invalidConfiguration
        case .connectionFactoryFailing, .connectionAttemptFailed:
            (error.underlying as? DuckDBError)?.code ?? .connectionFailed
        default: .other
        }
        self.init(code: code, message: error.description)
    }

    /// Runs `body`, translating the core's errors.
    static func translatingPoolErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ConnectionPoolError { throw DuckDBError(error) }
    }

    static func translatingPoolErrors<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as ConnectionPoolError { throw DuckDBError(error) }
    }
}
