extension ConnectionPool {
    /// Leases a connection for the duration of `body` and always releases it afterwards (on
    /// return, on a thrown error and on cancellation).
    ///
    /// Nested scopes: the pool records the scope in a task-local value. If the same task calls
    /// `withLease` on the same pool again inside `body`,
    /// ``PoolConfiguration/nestedAcquisition`` decides: with
    /// ``PoolConfiguration/NestedAcquisitionPolicy/reuseHeldConnection`` (default) the inner
    /// `body` receives the connection the outer scope holds and the inner scope does not release
    /// it; with ``PoolConfiguration/NestedAcquisitionPolicy/fail`` the inner call throws
    /// ``ConnectionPoolError/Code/nestedAcquisition``. Child tasks started inside `body` are other
    /// tasks: they lease their own connection.
    ///
    /// - Parameters:
    ///   - file: Recorded as the holder's location (default: the caller's `#fileID`).
    ///   - line: Recorded as the holder's line (default: the caller's `#line`).
    ///   - isolation: The caller's actor isolation (inferred); `body` runs on it.
    ///   - body: Uses the connection. It must not keep the connection after it returns.
    /// - Returns: What `body` returns.
    /// - Throws: What ``lease(file:line:)`` throws, ``ConnectionPoolError/Code/nestedAcquisition``,
    ///   or what `body` throws.
    public func withLease<T>(
        file: String = #fileID,
        line: Int = #line,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (Connection) async throws -> T
    ) async throws -> T {
        let owner = currentTaskIdentity()
        let enclosing = TaskLeaseContext.current
        if let held = enclosing?.find(poolID: self.id, owner: owner) {
            switch self.configuration.nestedAcquisition {
            case .fail:
                throw ConnectionPoolError.nestedAcquisition
            case .reuseHeldConnection:
                return try await body(self.typed(held.connection))
            }
        }

        let connection = try await self.lease(file: file, line: line)
        let scope = HeldLease(poolID: self.id, connection: connection, owner: owner, next: enclosing)
        do {
            let result = try await TaskLeaseContext.$current.withValue(scope) {
                try await body(connection)
            }
            self.release(connection)
            return result
        } catch {
            self.release(connection)
            throw error
        }
    }

    /// Leases a connection for the duration of `body` on a plain thread and always releases it
    /// afterwards.
    ///
    /// Blocks like ``leaseBlocking(file:line:)`` (never call it from async code). Nested scopes
    /// are recorded per thread (a pthread key) and follow
    /// ``PoolConfiguration/nestedAcquisition`` like ``withLease(file:line:isolation:_:)``.
    ///
    /// - Parameters:
    ///   - file: Recorded as the holder's location (default: the caller's `#fileID`).
    ///   - line: Recorded as the holder's line (default: the caller's `#line`).
    ///   - body: Uses the connection. It must not keep the connection after it returns.
    /// - Returns: What `body` returns.
    /// - Throws: What ``leaseBlocking(file:line:)`` throws,
    ///   ``ConnectionPoolError/Code/nestedAcquisition``, or what `body` throws.
    public func withLeaseBlocking<T>(
        file: String = #fileID,
        line: Int = #line,
        _ body: (Connection) throws -> T
    ) throws -> T {
        let enclosing = ThreadLeaseContext.current
        if let held = enclosing?.find(poolID: self.id, owner: 0) {
            switch self.configuration.nestedAcquisition {
            case .fail:
                throw ConnectionPoolError.nestedAcquisition
            case .reuseHeldConnection:
                return try body(self.typed(held.connection))
            }
        }

        let connection = try self.leaseBlocking(file: file, line: line)
        defer { self.release(connection) }
        let scope = HeldLease(poolID: self.id, connection: connection, owner: 0, next: enclosing)
        return try ThreadLeaseContext.withValue(scope) {
            try body(connection)
        }
    }
}
