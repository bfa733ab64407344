extension PoolConfiguration {
    /// Checks that the configuration makes sense.
    ///
    /// Rejects: `minimumConnections < 0`, `maximumConnections < 1`,
    /// `minimumConnections > maximumConnections`, a non-positive `acquireTimeout`, `maxLifetime`
    /// or `idleTimeout`, `maxWaiters < 0`, an invalid `connectRetry` (see
    /// ``RetryPolicy/validate(as:)``) or one that limits attempts or time, and
    /// `circuitBreakerThreshold < 1`.
    ///
    /// - Throws: ``ConnectionPoolError`` with code ``ConnectionPoolError/Code/invalidConfiguration``
    ///   whose ``ConnectionPoolError/field`` names the first offending property (for example
    ///   `"maximumConnections"` or `"connectRetry.initialDelay"`) and whose
    ///   ``ConnectionPoolError/reason`` says what is wrong.
    public func validate() throws(ConnectionPoolError) {
        try Self.validateCounts(minimum: self.minimumConnections, maximum: self.maximumConnections)
        guard self.acquireTimeout > .zero else {
            throw .invalidConfiguration(field: "acquireTimeout", reason: "must be positive, got \(self.acquireTimeout)")
        }
        if let maxLifetime = self.maxLifetime, maxLifetime <= .zero {
            throw .invalidConfiguration(field: "maxLifetime", reason: "must be positive or nil, got \(maxLifetime)")
        }
        guard (0...1).contains(self.lifetimeJitter) else {
            throw .invalidConfiguration(field: "lifetimeJitter", reason: "must lie in 0...1, got \(self.lifetimeJitter)")
        }
        if let idleTimeout = self.idleTimeout, idleTimeout <= .zero {
            throw .invalidConfiguration(field: "idleTimeout", reason: "must be positive or nil, got \(idleTimeout)")
        }
        if let maxWaiters = self.maxWaiters, maxWaiters < 0 {
            throw .invalidConfiguration(field: "maxWaiters", reason: "must be >= 0 or nil, got \(maxWaiters)")
        }
        try self.connectRetry.validate(as: "connectRetry")
        guard self.connectRetry.maxAttempts == nil, self.connectRetry.budget == nil else {
            throw .invalidConfiguration(
                field: "connectRetry",
                reason: "must not limit attempts or time (the pool never stops retrying; circuitBreakerThreshold decides when callers stop waiting)"
            )
        }
        guard self.circuitBreakerThreshold >= 1 else {
            throw .invalidConfiguration(
                field: "circuitBreakerThreshold",
                reason: "must be >= 1, got \(self.circuitBreakerThreshold)"
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
