#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `duckpool serve` listens: a host and a TCP port, parsed from `--listen`.
///
/// Value type; thread-safe. Accepted forms: `HOST:PORT` (a name or an IPv4 address) and
/// `[IPV6]:PORT`. The port must lie in 1...65535: Quack refuses port 0 ("Invalid Port"), so
/// there is no "pick any free port" mode. Names are not resolved here; a name that does not
/// resolve fails when Quack binds.
struct ListenAddress: Equatable, Sendable, CustomStringConvertible {
    /// The host without brackets: `127.0.0.1`, `localhost`, `::1`.
    var host: String
    var port: Int

    /// Parses `text`; the error message says what is wrong, without the option's name.
    init(parsing text: String) throws(ListenAddressError) {
        let hostPart: Substring, portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ListenAddressError("'\(text)' is not [IPV6]:PORT")
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
            guard Self.isIPv6Literal(String(hostPart)) else { throw ListenAddressError("'\(hostPart)' is not an IPv6 address") }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ListenAddressError("'\(text)' has no port: write HOST:PORT") }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            guard !hostPart.contains(":") else { throw ListenAddressError("write an IPv6 address in brackets: [\(hostPart)]:\(portPart)") }
            guard !hostPart.isEmpty, hostPart.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
                throw ListenAddressError("'\(hostPart)' is not a host name or an IPv4 address")
            }
        }
        guard let port = Int(portPart), (0...65_535).contains(port) else {
            throw ListenAddressError("'\(portPart)' is not a port (1...65535)")
        }
        guard port != 0 else { throw ListenAddressError("port 0 is refused by Quack; name a free port") }
        self.host = String(hostPart)
        self.port = port
    }

    /// The address as `--listen` takes it.
    var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// What `quack_serve`, `quack_stop` and clients' `ATTACH` take: `quack:127.0.0.1:9494`.
    var quackURI: String { "quack:\(description)" }

    /// The plain-HTTP URL Quack listens on.
    var httpURL: String { "http://\(description)" }

    var isIPv6: Bool { host.contains(":") }

    /// True for `localhost`, any 127.0.0.0/8 address and `::1`: addresses only this machine
    /// can reach.
    var isLoopback: Bool {
        if host.lowercased() == "localhost" { return true }
        if isIPv6 {
            var address = in6_addr()
            guard inet_pton(AF_INET6, host, &address) == 1 else { return false }
            return withUnsafeBytes(of: &address) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
        }
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else { return false }
        return withUnsafeBytes(of: &address) { $0[0] == 127 }
    }

    /// Whether Quack accepts this host without `allow_other_hostname => true`. Measured with
    /// DuckDB 1.5.5 (quack c154811): `localhost`, `127.0.0.1` and `::1` pass; every other host,
    /// 127.0.0.2 included, is refused.
    var quackAcceptsWithoutOverride: Bool {
        ["localhost", "127.0.0.1", "::1"].contains(host.lowercased())
    }

    private static func isIPv6Literal(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }
}

/// Why a `--listen` value was refused. Value type.
struct ListenAddressError: Error, Equatable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
