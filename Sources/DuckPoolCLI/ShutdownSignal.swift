import Dispatch
import DuckPoolSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGTERM and SIGINT, turned from process-killing signals into an event that a thread waits
/// for (``wait()``), through Dispatch signal sources.
///
/// The first signal is delivered to the waiter. ``restoreDefaults()`` puts the default action
/// back, so that a second SIGINT kills a process whose orderly stop hangs.
///
/// Thread-safety: ``wait()`` is meant for one thread; the handlers run on a private
/// serial queue and only touch the locked signal number and the semaphore.
final class ShutdownSignal {
    private let semaphore = DispatchSemaphore(value: 0)
    private let received = LockedValue<Int32?>(nil)
    private let signals: [Int32]
    private var sources: [any DispatchSourceSignal] = []

    /// Installs the handlers. Default signals: SIGTERM and SIGINT.
    init(signals: [Int32] = [SIGTERM, SIGINT]) {
        self.signals = signals
        let queue = DispatchQueue(label: "duckpool.serve.signals")
        for number in signals {
            // The source only sees a signal that would not kill the process first.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [semaphore, received] in
                let first = received.withLock { value in
                    defer { value = value ?? number }
                    return value == nil
                }
                if first { semaphore.signal() }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Blocks the calling thread until a signal comes and returns its number. Once a signal has
    /// come, returns it at once.
    func wait() -> Int32 {
        while true {
            if let current = received.withLock({ $0 }) { return current }
            semaphore.wait()
        }
    }

    /// Removes the handlers and restores each signal's default action. Idempotent.
    func restoreDefaults() {
        for source in sources { source.cancel() }
        sources = []
        for number in signals { signal(number, SIG_DFL) }
    }
}
