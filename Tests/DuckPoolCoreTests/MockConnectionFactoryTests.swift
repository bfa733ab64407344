import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(1))) struct MockConnectionFactoryTests {
    @Test func attemptsWaitForTheTestsVerdict() async throws {
        let factory = MockConnectionFactory()
        let first = Task { try await factory.makeConnection(id: 0) }
        let second = Task { try await factory.makeConnection(id: 1) }
        await factory.waitForAttempts(count: 2)

        let attempts = [await factory.nextAttempt(), await factory.nextAttempt()]
        #expect(Set(attempts.map(\.id)) == [0, 1])
        let succeeded = attempts.first { $0.id == 0 }?.succeed()
        attempts.first { $0.id == 1 }?.fail(with: MockConnectionError("nope"))

        #expect(try await first.value === succeeded)
        await #expect(throws: MockConnectionError("nope")) { try await second.value }
        #expect(factory.record.created.map(\.id) == [0])
    }

    @Test func recordsValidationsClosesAndInterrupts() async {
        let factory = MockConnectionFactory(autoConnect: true)
        guard let connection = try? await factory.makeConnection(id: 3) else {
            Issue.record("autoConnect failed")
            return
        }
        #expect(await factory.validate(connection))
        factory.failValidation(of: 3)
        #expect(await !factory.validate(connection))
        factory.interrupt(connection)
        await factory.close(connection)
        let record = factory.record
        #expect(record.validated == [3, 3])
        #expect(record.interrupted == [3])
        #expect(record.closed == [3])
        #expect(connection.isClosed)
        #expect(connection.interruptCount == 1)
        #expect(connection.validationCount == 2)
    }

    @Test func failNextValidationsAffectsOnlyThatMany() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let connection = try await factory.makeConnection(id: 0)
        #expect(await factory.validate(connection))
        factory.failNextValidations(2)
        #expect(await !factory.validate(connection))
        #expect(await !factory.validate(connection))
        #expect(await factory.validate(connection))
        #expect(factory.record.validated == [0, 0, 0, 0])
    }
}
