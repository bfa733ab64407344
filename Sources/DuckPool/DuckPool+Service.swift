public import ServiceLifecycle

/// A ``DuckPool`` runs in a swift-service-lifecycle `ServiceGroup`: `run()` waits for graceful
/// shutdown (SIGTERM, SIGINT) and then closes the pool, giving leases
/// ``DuckPoolConfiguration/shutdownGracePeriod`` before their queries are interrupted. Cancelling
/// `run()` closes the pool at once (grace period zero).
extension DuckPool: Service {
    public func run() async throws {
        do {
            try await gracefulShutdown()
            await close(gracePeriod: configuration.shutdownGracePeriod)
        } catch {
            await close(gracePeriod: .zero)
        }
    }
}
