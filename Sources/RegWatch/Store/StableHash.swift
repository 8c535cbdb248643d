import FeedParser
import Foundation

/// A 128-bit FNV-1a digest (two lanes) of strings, stable across runs and platforms
/// (Swift's `Hasher` is seeded per process). Change detection, not cryptography.
enum StableHash {
    static func hex(_ parts: [String]) -> String {
        // Lane a is FNV-1a itself; lane b, from another basis and with an added constant
        // after each multiplication, makes the 128 bits.
        var lanes = (a: FNV1a.offsetBasis, b: UInt64(0x6c62_272e_07bb_0142))
        for part in parts {
            var part = part
            // The bytes of each part in one buffer, the lanes in registers: iterating a
            // string's `utf8` view byte by byte through a closure cost a cold poll 5 % of its
            // instructions (issue #19).
            part.withUTF8 { bytes in
                for byte in bytes { mix(&lanes, byte) }
            }
            mix(&lanes, 0x1F)
        }
        return FNV1a.hex(lanes.a) + FNV1a.hex(lanes.b)
    }

    @inline(__always)
    private static func mix(_ lanes: inout (a: UInt64, b: UInt64), _ byte: UInt8) {
        lanes.a = (lanes.a ^ UInt64(byte)) &* FNV1a.prime
        lanes.b = (lanes.b ^ UInt64(byte)) &* FNV1a.prime &+ 0x9e37_79b9
    }

    /// A digest of everything the store keeps of an entry: when it changes, the entry changed.
    static func content(of item: Item) -> String {
        func date(_ d: Date?) -> String { d.map { String($0.timeIntervalSince1970) } ?? "" }
        return hex(
            [
                item.title ?? "", item.link ?? "", item.summary ?? "", item.content ?? "", date(item.published),
                date(item.updated),
            ] + item.authors + ["\u{1E}"] + item.categories)
    }
}
