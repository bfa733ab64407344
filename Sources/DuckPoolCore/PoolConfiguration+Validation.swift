extension PoolConfiguration {
    /// Checks that the configuration makes sense.
    ///
    /// Rejects: `minimumConnections < 0`, `maximumConnections < 1`,
    /// `minimumConnections > maximumConnections`, a non-positive `acquireTimeout`, `maxLifetime`
    /// or `idleTimeout`, `maxWaiters < 0`, a non-positive `connectBackoff.initialDelay`,
    /// `connectBackoff.maximumDelay < connectBackoff.initialDelay` and
    /// `connectBackoff.circuitBreakerThreshold < 1`.
    ///
    /// - Throws: ``ConnectionPoolError`` with code ``ConnectionPoolError/Code/invalidConfiguration``
    ///   whose ``ConnectionPoolError/field`` names the first offending property (for example
    ///   `"maximumConnections"` or `"connectBackoff.initialDelay"`) and whose
    ///   ``ConnectionPoolError/reason`` says what is wrong.
    public func validate() throws(ConnectionPoolError) {
        try Self.validateCounts(minimum: self.minimumConnections, maximum: self.maximumConnections)
        guard self.acquireTimeout > .zero else {
            throw .invalidConfiguration(field: "acquireTimeout", reason: "must be positive, got \(self.acquireTimeout)")
        }
        if let maxLifetime = self.maxLifetime, maxLifetime <= .zero {
            throw .invalidConfiguration(field: "maxLifetime", reason: "must be positive or nil, got \(maxLifetime)")
        }
        if let idleTimeout = self.idleTimeout, idleTimeout <= .zero {
            throw .invalidConfiguration(field: "idleTimeout", reason: "must be positive or nil, got \(idleTimeout)")
        }
        if let maxWaiters = self.maxWaiters, maxWaiters < 0 {
            throw .invalidConfiguration(field: "maxWaiters", reason: "must be >= 0 or nil, got \(maxWaiters)")
        }
        let backoff = self.connectBackoff
        guard backoff.initialDelay > .zero else {
            throw .invalidConfiguration(
                field: "connectBackoff.initialDelay",
                reason: "must be positive, got \(backoff.initialDelay)"
            )
        }
        guard backoff.maximumDelay >= backoff.initialDelay else {
            throw .invalidConfiguration(
                field: "connectBackoff.maximumDelay",
                reason: "must be >= connectBackoff.initialDelay (\(backoff.initialDelay)), got \(backoff.maximumDelay)"
            )
        }
        guard backoff.circuitBreakerThreshold >= 1 else {
            throw .invalidConfiguration(
                field: "connectBackoff.circuitBreakerThreshold",
                reason: "must be >= 1, got \(backoff.circuitBreakerThreshold)"
            )
        }
    }

    /// Checks a pair of connection counts (shared by ``validate()`` and
    /// ``ConnectionPool/resize(minimum:maximum:)``).
    static func validateCounts(minimum: Int, maximum: Int) throws(ConnectionPoolError) {
        guard minimum >= 0 else {
            throw .invalidConfiguration(field: "minimumConnections", reason: "must be >= 0, got \(minimum)")
        }
        guard maximum >= 1 else {
            throw .invalidConfiguration(field: "maximumConnections", reason: "must be >= 1, got \(maximum)")
        }
        guard minimum <= maximum else {
            throw .invalidConfiguration(
                field: "minimumConnections",
                reason: "must be <= maximumConnections (\(maximum)), got \(minimum)"
            )
        }
    }
}
