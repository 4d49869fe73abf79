import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where webhooks may point. By default not at loopback, private, link-local or unspecified
/// addresses (nor names that resolve to them): a department's URL must not turn the server
/// into a probe of its own network (SSRF). `serve --allow-private-webhooks` lifts this for
/// closed networks and tests.
enum WebhookTargets {
    /// True when any address `host` stands for is internal.
    static func isInternal(host: String) -> Bool {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if name.lowercased() == "localhost" || name.lowercased().hasSuffix(".localhost") { return true }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0, let first = list else { return true }  // unresolvable: refuse
        defer { freeaddrinfo(first) }
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let n = node {
            if let sa = n.pointee.ai_addr, isInternal(sa) { return true }
            node = n.pointee.ai_next
        }
        return false
    }

    private static func isInternal(_ sa: UnsafeMutablePointer<sockaddr>) -> Bool {
        switch Int32(sa.pointee.sa_family) {
        case AF_INET:
            let b = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) } }
            return b[0] == 0 || b[0] == 10 || b[0] == 127 || (b[0] == 169 && b[1] == 254) || (b[0] == 172 && (16...31).contains(b[1]))
                || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && (64...127).contains(b[1])) || b[0] >= 224
        case AF_INET6:
            let b = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) } }
            let loopbackOrAny = b[0..<15].allSatisfy { $0 == 0 } && (b[15] == 1 || b[15] == 0)
            let v4Mapped = b[0..<10].allSatisfy { $0 == 0 } && b[10] == 0xff && b[11] == 0xff
            return loopbackOrAny || (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || b[0] == 0xff
                || (v4Mapped && (b[12] == 127 || b[12] == 10 || (b[12] == 192 && b[13] == 168) || (b[12] == 172 && (16...31).contains(b[13])) || b[12] == 0))
        default:
            return true
        }
    }
}
