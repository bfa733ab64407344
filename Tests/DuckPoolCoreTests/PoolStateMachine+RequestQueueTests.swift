@testable import DuckPoolCore
import DuckPoolTestTraits
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct RequestQueueTests {
    private func request(_ id: RequestID, at time: Int = 0) -> PoolStateMachine.WaitingRequest {
        .init(requestID: id, file: "F", line: id, requestedAt: .seconds(time), deadline: .seconds(time + 30))
    }

    @Test func popsInFIFOOrderAndSkipsRemovedRequests() {
        var queue = PoolStateMachine.RequestQueue()
        for id in 1...5 { queue.append(self.request(id)) }
        #expect(queue.remove(2)?.requestID == 2)
        #expect(queue.remove(2) == nil)
        #expect(queue.count == 4)
        #expect(queue.popFirst()?.requestID == 1)
        #expect(queue.first()?.requestID == 3)
        #expect(queue.popFirst()?.requestID == 3)
        queue.prepend(self.request(9))
        #expect(queue.requestIDs == [9, 4, 5])
        #expect(queue.removeAll().map(\.requestID) == [9, 4, 5])
        #expect(queue.isEmpty)
        #expect(queue.popFirst() == nil)
    }

    @Test func removedIDsDoNotPileUp() {
        var queue = PoolStateMachine.RequestQueue()
        queue.append(self.request(0))
        for id in 1...10_000 {
            queue.append(self.request(id))
            _ = queue.remove(id)
        }
        #expect(queue.count == 1)
        #expect(queue.order.count <= 2 * queue.count + 65)
        #expect(queue.popFirst()?.requestID == 0)
    }
}
