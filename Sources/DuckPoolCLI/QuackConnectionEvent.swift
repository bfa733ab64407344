/// One client event worth a log line, read from an entry of Quack's own log.
///
/// Value type; thread-safe. Measured with DuckDB 1.5.5 (quack c154811): a connect is a
/// `CONNECTION_REQUEST` entry answered by `CONNECTION_RESPONSE`, whose `quack_connection_id` is
/// still empty (the session's id appears on its later requests); a wrong token is a
/// `CONNECTION_REQUEST` answered by `ERROR_RESPONSE` with the error
/// `Invalid Input Error: Authentication failed`; a detach (or a client that exits) is a
/// `DISCONNECT_MESSAGE` carrying the session's id. No entry names the client's address. Every other
/// entry (prepare, fetch, append, ...) is a request inside a session and gives no event.
enum QuackConnectionEvent: Equatable, Sendable {
    /// A client presented the right token and got a session.
    case connected
    /// A client presented a wrong token.
    case authenticationFailed
    /// A connection request failed for another reason (DuckDB's error text).
    case refused(error: String)
    /// A session ended (its id, a hex string).
    case disconnected(session: String)

    /// The event a `Quack` log message stands for (the struct literal DuckDB writes, read with
    /// ``DuckDBStructText``), or nil for requests inside a session and unreadable messages.
    init?(logMessage: String) {
        guard let fields = DuckDBStructText.fields(of: logMessage) else { return nil }
        self.init(
            messageType: fields["message_type"] ?? nil, session: fields["quack_connection_id"] ?? nil,
            responseType: fields["response_type"] ?? nil, error: fields["error"] ?? nil
        )
    }

    /// The event a log entry with these fields stands for, or nil for requests inside a session.
    init?(messageType: String?, session: String?, responseType: String?, error: String?) {
        switch messageType {
        case "CONNECTION_REQUEST":
            if responseType == "CONNECTION_RESPONSE" {
                self = .connected
            } else if let error, error.contains("Authentication failed") {
                self = .authenticationFailed
            } else {
                self = .refused(error: error ?? responseType ?? "no response")
            }
        case "DISCONNECT_MESSAGE":
            self = .disconnected(session: session ?? "")
        default:
            return nil
        }
    }
}
