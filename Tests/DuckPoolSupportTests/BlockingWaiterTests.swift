import DuckPoolSupport
import DuckPoolTestTraits
import Foundation
import Testing

@Suite(.testThreads, .timeLimit(.minutes(1))) struct BlockingWaiterTests {
    @Test func aValueSignalledBeforeWaitIsReturnedAtOnce() {
        let waiter = BlockingWaiter<Int>()
        waiter.signal(3)
        #expect(waiter.wait() == 3)
    }

    @Test func aBlockedThreadWakesUpWithTheValue() async {
        let waiter = BlockingWaiter<String>()
        let woken = BlockingWaiter<String>()
        Thread { woken.signal(waiter.wait()) }.start()
        Thread { waiter.signal("served") }.start()
        let result = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: woken.wait()) }.start()
        }
        #expect(result == "served")
    }

    @Test func oneSignalWakesEveryWaitingThread() async {
        let latch = BlockingWaiter<Int>()
        let woken = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { await withCheckedContinuation { continuation in Thread { continuation.resume(returning: latch.wait()) }.start() } }
            }
            Thread { latch.signal(7) }.start()
            return await group.reduce(0, +)
        }
        #expect(woken == 28)
    }
}
