import DuckPool
import Foundation
import Hummingbird
import Logging

/// The request context of every route: Hummingbird's basics plus the request's id and deadline.
///
/// Hummingbird puts a fresh id into the request logger's `hb.request.id` metadata. The context
/// keeps that id as a value too, because reading it back from the logger only works while the
/// log handler stores metadata (a no-op handler drops it). When the logger has none, the context
/// makes one and puts it there, so the response header and the log lines always agree.
struct FactorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Sent back as `X-Request-ID`, quoted in error bodies, and logged as `hb.request.id`.
    let requestID: String
    /// When the request's database work must have ended, the wait for a connection included:
    /// its arrival plus ``FactorServiceConfiguration/requestTimeout``, set by
    /// ``RequestDeadlineMiddleware`` and passed as `deadline:` to every pool call. Nil (no
    /// limit) only on a router without that middleware.
    var deadline: Deadline?

    /// JSON with sorted keys, so responses are byte-for-byte stable (easier to diff and cache).
    var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        if let existing = source.logger[metadataKey: "hb.request.id"] {
            requestID = existing.description
        } else {
            requestID = RequestID().description
            logger[metadataKey: "hb.request.id"] = .string(requestID)
        }
    }
}
