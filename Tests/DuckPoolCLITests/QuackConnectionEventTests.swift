@testable import DuckPoolCLI
import DuckPoolTestTraits
import Testing

/// Which rows of Quack's log become log lines: the rows below are as DuckDB 1.5.5 (quack
/// c154811) wrote them.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct QuackConnectionEventTests {
    @Test func connectsFailedLoginsAndDisconnectsAreEvents() {
        #expect(QuackConnectionEvent(messageType: "CONNECTION_REQUEST", session: "", responseType: "CONNECTION_RESPONSE", error: nil) == .connected)
        #expect(
            QuackConnectionEvent(messageType: "CONNECTION_REQUEST", session: "", responseType: "ERROR_RESPONSE", error: "Invalid Input Error: Authentication failed")
                == .authenticationFailed
        )
        #expect(
            QuackConnectionEvent(messageType: "CONNECTION_REQUEST", session: "", responseType: "ERROR_RESPONSE", error: "IO Error: something else")
                == .refused(error: "IO Error: something else")
        )
        #expect(
            QuackConnectionEvent(messageType: "DISCONNECT_MESSAGE", session: "D08EA1282C19F5642226E9484FE2C895", responseType: "SUCCESS_RESPONSE", error: nil)
                == .disconnected(session: "D08EA1282C19F5642226E9484FE2C895")
        )
    }

    @Test func requestsInsideASessionAreNot() {
        for type in ["PREPARE_REQUEST", "APPEND_REQUEST", "FETCH_REQUEST", nil] {
            #expect(QuackConnectionEvent(messageType: type, session: "ABC", responseType: "PREPARE_RESPONSE", error: nil) == nil)
        }
    }
}

/// The struct literals DuckDB 1.5.5 writes as Quack's log messages (copied from a real server's
/// `duckdb_logs()`), read field by field.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct DuckDBStructTextTests {
    static let connect = "{'message_type': CONNECTION_REQUEST, 'quack_connection_id': '', 'client_query_id': 6, 'query': NULL, 'server': NULL, 'duration_ms': 1, 'response_type': CONNECTION_RESPONSE, 'error': NULL}"
    // The query holds real line breaks and a tab; its quotes are escaped with backslashes.
    static let prepare = "{'message_type': PREPARE_REQUEST, 'quack_connection_id': C1F08315A99D81301C4C04AC16188F7A, 'client_query_id': 6, 'query': '\nSELECT catalog_name, schema_name\nFROM information_schema.schemata\nWHERE catalog_name NOT IN (\\'system\\', \\'temp\\')\nORDER BY ALL\n\t', 'server': NULL, 'duration_ms': 13, 'response_type': PREPARE_RESPONSE, 'error': NULL}"
    static let disconnect = "{'message_type': DISCONNECT_MESSAGE, 'quack_connection_id': C1F08315A99D81301C4C04AC16188F7A, 'client_query_id': NULL, 'query': NULL, 'server': NULL, 'duration_ms': 0, 'response_type': SUCCESS_RESPONSE, 'error': NULL}"
    static let refused = "{'message_type': CONNECTION_REQUEST, 'quack_connection_id': '', 'client_query_id': 6, 'query': NULL, 'server': NULL, 'duration_ms': 2, 'response_type': ERROR_RESPONSE, 'error': 'Invalid Input Error: Authentication failed'}"

    @Test func fieldsAreNullBareOrQuotedWithEscapesUndone() throws {
        let fields = try #require(DuckDBStructText.fields(of: Self.prepare))
        #expect(fields["message_type"] == .some("PREPARE_REQUEST"))
        #expect(fields["client_query_id"] == .some("6"))
        #expect(fields["error"] == .some(nil))
        #expect(fields["query"] == .some("\nSELECT catalog_name, schema_name\nFROM information_schema.schemata\nWHERE catalog_name NOT IN ('system', 'temp')\nORDER BY ALL\n\t"))
        #expect(fields.count == 8)
        #expect(DuckDBStructText.fields(of: #"{'a': 'x\\y', 'b': {'c': 1, 'd': [1, 2]}, 'e': ''}"#) == ["a": "x\\y", "b": "{'c': 1, 'd': [1, 2]}", "e": ""])
        #expect(DuckDBStructText.fields(of: "{}") == [:])
    }

    @Test func textThatIsNoStructLiteralIsRefused() {
        for text in ["", "plain text", "{'a': 1", "{'a' 1}", "{'a': 'unterminated}", "{a: 1}"] {
            #expect(DuckDBStructText.fields(of: text) == nil, "\(text)")
        }
    }

    @Test func realMessagesBecomeTheirEvents() {
        #expect(QuackConnectionEvent(logMessage: Self.connect) == .connected)
        #expect(QuackConnectionEvent(logMessage: Self.prepare) == nil)
        #expect(QuackConnectionEvent(logMessage: Self.disconnect) == .disconnected(session: "C1F08315A99D81301C4C04AC16188F7A"))
        #expect(QuackConnectionEvent(logMessage: Self.refused) == .authenticationFailed)
        #expect(QuackConnectionEvent(logMessage: "not a struct") == nil)
    }
}
