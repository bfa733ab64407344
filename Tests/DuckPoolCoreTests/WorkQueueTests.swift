@testable import DuckPoolCore
import DuckPoolTestTraits
import Testing

@Suite(.testThreads, .timeLimit(.minutes(1))) struct WorkQueueTests {
    @Test func deliversItemsInOrderAndEndsAfterFinish() async {
        let queue = WorkQueue<Int>()
        queue.push(1)
        queue.push(2)
        #expect(await queue.next() == 1)
        queue.push(3)
        queue.finish()
        queue.push(4)  // dropped: the queue is finished
        #expect(await queue.next() == 2)
        #expect(await queue.next() == 3)
        #expect(await queue.next() == nil)
        #expect(await queue.next() == nil)
    }

    @Test func aWaitingConsumerGetsTheNextItem() async {
        let queue = WorkQueue<Int>()
        let consumer = Task { await queue.next() }
        queue.push(42)
        #expect(await consumer.value == 42)
    }

    @Test func cancellingTheConsumerDoesNotEndTheQueue() async {
        let queue = WorkQueue<Int>()
        let consumer = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await queue.next()
        }
        queue.push(7)
        #expect(await consumer.value == 7)
    }
}
