@testable import DuckPoolCore
import DuckPoolTestUtils
import Testing

@Suite struct HeldLeaseTests {
    @Test func findMatchesPoolAndOwner() {
        let outer = HeldLease(poolID: 1, connection: MockConnection(id: 10), owner: 5, next: nil)
        let inner = HeldLease(poolID: 2, connection: MockConnection(id: 20), owner: 5, next: outer)
        #expect(inner.find(poolID: 1, owner: 5) === outer)
        #expect(inner.find(poolID: 2, owner: 5) === inner)
        #expect(inner.find(poolID: 1, owner: 6) == nil)
        #expect(inner.find(poolID: 3, owner: 5) == nil)
    }

    @Test func threadContextIsRestoredAfterTheScope() {
        #expect(ThreadLeaseContext.current == nil)
        let lease = HeldLease(poolID: 1, connection: MockConnection(id: 1), owner: 0, next: nil)
        let inside = ThreadLeaseContext.withValue(lease) { ThreadLeaseContext.current }
        #expect(inside === lease)
        #expect(ThreadLeaseContext.current == nil)
    }

    @Test func childTasksHaveAnotherIdentity() async {
        let parent = currentTaskIdentity()
        async let child = currentTaskIdentity()
        let childIdentity = await child
        #expect(parent != 0)
        #expect(childIdentity != parent)
        #expect(currentTaskIdentity() == parent)
    }
}
