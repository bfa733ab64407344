import Dispatch
import DuckPool
import Foundation

/// Holds one pooled connection on a plain thread until released, so a test can fill the pool
/// without sleeping: ``start(_:)`` returns once the connection is held.
final class ConnectionHolder: Sendable {
    private let letGo = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    static func start(_ pool: DuckPool) async throws -> ConnectionHolder {
        let holder = ConnectionHolder()
        try await withCheckedThrowingContinuation { (held: CheckedContinuation<Void, any Error>) in
            Thread { [letGo = holder.letGo, done = holder.done] in
                do {
                    try pool.withConnection { _ in
                        held.resume()
                        letGo.wait()
                    }
                } catch {
                    held.resume(throwing: error)
                }
                done.signal()
            }.start()
        }
        return holder
    }

    /// Returns the connection and waits (off the cooperative pool) until it is back.
    func release() async {
        letGo.signal()
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            Thread { [done] in
                done.wait()
                finished.resume()
            }.start()
        }
    }
}
