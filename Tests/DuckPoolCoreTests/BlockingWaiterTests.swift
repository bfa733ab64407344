import DuckPoolSupport
@testable import DuckPoolCore
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct BlockingWaiterTests {
    @Test func aValueSignalledBeforeWaitIsReturnedAtOnce() {
        let waiter = BlockingWaiter<Int>()
        waiter.signal(3)
        #expect(waiter.wait() == 3)
    }

    @Test func aBlockedThreadWakesUpWithTheValue() async {
        let waiter = BlockingWaiter<String>()
        let result = Task { await onThread { waiter.wait() } }
        Thread.detachedResult { waiter.signal("served") }
        #expect(await result.value == "served")
    }
}
