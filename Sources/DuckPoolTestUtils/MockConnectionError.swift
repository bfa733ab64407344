/// The error ``MockConnectionFactory`` attempts fail with by default.
public struct MockConnectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    /// Creates an error; default message: `"mock connection failed"`.
    public init(_ message: String = "mock connection failed") {
        self.message = message
    }

    /// The message.
    public var description: String {
        self.message
    }
}
