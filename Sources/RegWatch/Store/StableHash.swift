import FeedParser
import Foundation

/// A 128-bit FNV-1a digest (two lanes) of strings, stable across runs and platforms
/// (Swift's `Hasher` is seeded per process). Change detection, not cryptography.
enum StableHash {
    static func hex(_ parts: [String]) -> String {
        // Lane a is FNV-1a itself; lane b, from another basis and with an added constant
        // after each multiplication, makes the 128 bits.
        var a = FNV1a()
        var b: UInt64 = 0x6c62_272e_07bb_0142
        func mix(_ byte: UInt8) {
            a.combine(byte)
            b = (b ^ UInt64(byte)) &* FNV1a.prime &+ 0x9e37_79b9
        }
        for part in parts {
            for byte in part.utf8 { mix(byte) }
            mix(0x1F)
        }
        return FNV1a.hex(a.value) + FNV1a.hex(b)
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
