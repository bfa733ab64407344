@testable import DuckPoolCLI
import DuckPoolTestTraits
import Testing

/// `--listen` parsing, loopback detection, and which hosts Quack accepts by itself.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct ListenAddressTests {
    @Test func formsThatParse() throws {
        let v4 = try ListenAddress(parsing: "127.0.0.1:9494")
        #expect(v4.host == "127.0.0.1" && v4.port == 9494)
        #expect(v4.quackURI == "quack:127.0.0.1:9494")
        #expect(v4.httpURL == "http://127.0.0.1:9494")
        let v6 = try ListenAddress(parsing: "[::1]:9000")
        #expect(v6.host == "::1" && v6.port == 9000)
        #expect(v6.quackURI == "quack:[::1]:9000")
        #expect(try ListenAddress(parsing: "db-host.example.com:80").host == "db-host.example.com")
    }

    @Test func formsThatAreRefused() {
        for text in ["localhost", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:http", ":9494", "::1:9494", "[::1]9494", "[nonsense]:1", "a b:1", "host/x:1"] {
            #expect(throws: ListenAddressError.self, "\(text)") { try ListenAddress(parsing: text) }
        }
    }

    @Test func loopbackIsLocalhostAnd127SlashEightAndColonColonOne() throws {
        for text in ["127.0.0.1:1", "127.1.2.3:1", "localhost:1", "LOCALHOST:1", "[::1]:1", "[0:0:0:0:0:0:0:1]:1"] {
            #expect(try ListenAddress(parsing: text).isLoopback, "\(text)")
        }
        for text in ["0.0.0.0:1", "10.0.0.1:1", "[::]:1", "[::2]:1", "myhost:1", "128.0.0.1:1"] {
            #expect(try !ListenAddress(parsing: text).isLoopback, "\(text)")
        }
    }

    @Test func quackNeedsTheOverrideForEveryOtherHost() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:1").quackAcceptsWithoutOverride)
        #expect(try ListenAddress(parsing: "localhost:1").quackAcceptsWithoutOverride)
        #expect(try ListenAddress(parsing: "[::1]:1").quackAcceptsWithoutOverride)
        #expect(try !ListenAddress(parsing: "127.0.0.2:1").quackAcceptsWithoutOverride)
        #expect(try !ListenAddress(parsing: "0.0.0.0:1").quackAcceptsWithoutOverride)
    }
}
