import FeedParser
import Foundation

/// What makes an entry the same entry from one fetch to the next, within one feed.
///
/// FeedParser's `Item.identity` (the entry's own id, else its link, else a hash of title and
/// date), with one refinement: a link is compared in its canonical form, because sites add
/// tracking parameters that change between fetches (`?xtor=RSS-…`, `utm_campaign=…`) and
/// each change would otherwise store the article again.
enum ItemIdentity {
    static func of(_ item: Item) -> String {
        if let id = item.id, !id.isEmpty { return item.identity }
        if let link = CanonicalLink.canonicalize(item.link) { return link }
        return item.identity
    }

    /// A digest of everything the store keeps of an entry: when it changes, the entry changed.
    static func contentHash(_ item: Item) -> String {
        func date(_ d: Date?) -> String { d.map { String($0.timeIntervalSince1970) } ?? "" }
        return StableHash.hex(
            [
                item.title ?? "", item.link ?? "", item.summary ?? "", item.content ?? "", date(item.published),
                date(item.updated),
            ] + item.authors + ["\u{1E}"] + item.categories)
    }
}

/// A 128-bit FNV-1a digest (two lanes) of strings, stable across runs and platforms
/// (Swift's `Hasher` is seeded per process). Change detection, not cryptography.
enum StableHash {
    static func hex(_ parts: [String]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x6c62_272e_07bb_0142
        func mix(_ byte: UInt8) {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ 0x9e37_79b9
        }
        for part in parts {
            for byte in part.utf8 { mix(byte) }
            mix(0x1F)
        }
        return String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
