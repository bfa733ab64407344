@testable import DuckPoolCLI
import Testing

/// Which rows of Quack's log become log lines: the rows below are as DuckDB 1.5.5 (quack
/// c154811) wrote them.
@Suite(.timeLimit(.minutes(1))) struct QuackConnectionEventTests {
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
