#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The address ranges a feed fetch must not reach unless `[fetch] allow_private_networks`
/// is true: a feed URL (or a redirect, or a DNS answer) pointing at the machine itself,
/// the LAN or a cloud metadata service would otherwise let a feed list probe them.
enum PrivateNetwork {
    /// The IPv4 ranges refused: (network, prefix length).
    static let ipv4Ranges: [(UInt32, Int)] = [
        (0x0000_0000, 8),  // 0.0.0.0/8, "this network"
        (0x0A00_0000, 8),  // 10.0.0.0/8, RFC 1918
        (0x6440_0000, 10),  // 100.64.0.0/10, CGNAT
        (0x7F00_0000, 8),  // 127.0.0.0/8, loopback
        (0xA9FE_0000, 16),  // 169.254.0.0/16, link-local (cloud metadata)
        (0xAC10_0000, 12),  // 172.16.0.0/12, RFC 1918
        (0xC0A8_0000, 16),  // 192.168.0.0/16, RFC 1918
    ]

    /// Whether an IPv4 address (host byte order) is in a refused range.
    static func isPrivate(ipv4 address: UInt32) -> Bool {
        ipv4Ranges.contains { network, prefix in
            let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
            return address & mask == network
        }
    }

    /// Whether an IPv6 address (16 bytes, network order) is refused: `::`, `::1`,
    /// fc00::/7 (ULA), fe80::/10 (link-local), and IPv4-mapped or -compatible
    /// forms of a refused IPv4 address.
    static func isPrivate(ipv6 bytes: [UInt8]) -> Bool {
        precondition(bytes.count == 16)
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && (bytes[15] == 0 || bytes[15] == 1) { return true }
        if bytes[0] & 0xFE == 0xFC { return true }
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return true }
        let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        let compatible = bytes[0..<12].allSatisfy { $0 == 0 }
        if mapped || compatible {
            let v4 = bytes[12...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return isPrivate(ipv4: v4)
        }
        return false
    }

    /// The textual address when `sockaddr` (an IPv4 or IPv6 socket address) is
    /// refused, nil when it may be connected to.
    static func refusedAddress(_ sockaddr: UnsafeRawPointer, family: Int32) -> String? {
        switch family {
        case AF_INET:
            let address = sockaddr.loadUnaligned(as: sockaddr_in.self)
            let host = UInt32(bigEndian: address.sin_addr.s_addr)
            guard isPrivate(ipv4: host) else { return nil }
            return [24, 16, 8, 0].map { String((host >> $0) & 0xFF) }.joined(separator: ".")
        case AF_INET6:
            let address = sockaddr.loadUnaligned(as: sockaddr_in6.self)
            let bytes = withUnsafeBytes(of: address.sin6_addr) { Array($0) }
            guard isPrivate(ipv6: bytes) else { return nil }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            var raw = address.sin6_addr
            guard inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count)) != nil else { return "IPv6 address" }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        default:
            return nil
        }
    }
}
