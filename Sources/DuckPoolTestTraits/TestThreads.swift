public import Testing
import DuckPoolTestUtils

/// Runs each test of a suite, with its child tasks, on ``TestThreadExecutor``: threads that may
/// block, never Swift's cooperative pool. Every suite carries it:
///
///     @Suite(.testThreads, .timeLimit(.minutes(2))) struct PoolWaitingTests { ... }
///
/// A test that wants the cooperative pool itself (to show the library never blocks it) asks for
/// it with `Task { ... }` or `addTask(executorPreference: globalConcurrentExecutor)`.
public struct TestThreadsTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(TestThreadExecutor.shared) { try await function() }
    }
}

extension Trait where Self == TestThreadsTrait {
    /// See ``TestThreadsTrait``.
    public static var testThreads: Self { TestThreadsTrait() }
}
