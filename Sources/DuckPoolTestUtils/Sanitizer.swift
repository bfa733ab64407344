public import Foundation

/// Which sanitizer the test run is built with, as `make tsan` and `make leaks` announce it in
/// `DUCKPOOL_SANITIZER` (`thread` or `address`). Sanitized code runs several times slower, so a
/// test whose subject is correctness at scale may use a smaller workload there; the plain
/// `make test` keeps the full one.
///
/// **Thread-safety:** reads the process environment only.
public enum Sanitizer {
    /// The sanitizer's name, or nil in an unsanitized run.
    public static var name: String? {
        ProcessInfo.processInfo.environment["DUCKPOOL_SANITIZER"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `normal` in an unsanitized run, `sanitized` under a sanitizer.
    public static func scaled(_ normal: Int, sanitized: Int) -> Int {
        name == nil ? normal : sanitized
    }
}
