import FeedParser
import Foundation

/// The digest of an entry's content that the store keeps (`item.contentHash`) to tell a
/// changed entry from an unchanged one at each fetch: stable across runs and platforms (Swift's
/// `Hasher` is seeded per process). Change detection, not cryptography.
///
/// Two formats are stored. Entries written since issue #19 carry ``content(of:)``: `xxh64:`
/// and the 16 hex digits of the XXH64 of the entry's framed fields. Entries written before
/// carry ``legacyContent(of:)``: 32 hex digits of a two-lane FNV-1a, one dependent
/// multiplication per byte per lane, about 5 times the instructions of XXH64's four lanes of
/// 8 bytes. A stored legacy digest is compared through the legacy function
/// (``isUnchanged(_:digest:stored:)``), so an upgrade rewrites no unchanged entry. 64 bits are
/// enough: a digest is only ever compared with the same entry's previous one, and a change
/// goes unseen only if the two collide (2⁻⁶⁴).
enum StableHash {
    /// What starts a digest of the current format; a legacy digest is hex digits only.
    static let formatPrefix = "xxh64:"

    /// Whether `item` is what the store saw when it wrote `stored` (its `contentHash`), in
    /// either format; `digest` is ``content(of:)`` of `item`, computed beforehand.
    static func isUnchanged(_ item: Item, digest: String, stored: String?) -> Bool {
        guard let stored else { return false }
        if stored == digest { return true }
        // Only an entry stored before the current format was introduced, once per fetch
        // that still carries it, pays for the legacy digest.
        return !stored.utf8.starts(with: formatPrefix.utf8) && stored == legacyContent(of: item)
    }

    /// A digest of everything the store keeps of an entry: when it changes, the entry changed.
    /// `xxh64:` and 16 lowercase hex digits.
    ///
    /// The XXH64 (seed 0) of the entry's fields as one unambiguous byte string, in order: title,
    /// link, summary, content (each a presence byte, 0 or 1, then for a present one its UTF-8
    /// length as 8 bytes little-endian and its bytes); published and updated (a presence byte,
    /// then the `Double` seconds since 1970 as its 8 bit-pattern bytes, little-endian); authors
    /// and categories (the count, 8 bytes, then each string's length and bytes). Every field
    /// says its own length, so no two different entries give the same bytes, and a missing
    /// field differs from an empty one, as their stored columns do. The bytes are fed to the
    /// hash as they are framed, without being gathered in a buffer.
    static func content(of item: Item) -> String {
        var hasher = XXH64(seed: 0)
        hasher.combine(item.title)
        hasher.combine(item.link)
        hasher.combine(item.summary)
        hasher.combine(item.content)
        hasher.combine(item.published)
        hasher.combine(item.updated)
        hasher.combine(item.authors)
        hasher.combine(item.categories)
        return formatPrefix + FNV1a.hex(hasher.value)
    }

    /// The digest the store wrote before ``content(of:)`` (32 hex digits): what entries stored
    /// then are compared with. Its output must never change.
    static func legacyContent(of item: Item) -> String {
        func date(_ d: Date?) -> String { d.map { String($0.timeIntervalSince1970) } ?? "" }
        return legacyHex(
            [
                item.title ?? "", item.link ?? "", item.summary ?? "", item.content ?? "", date(item.published),
                date(item.updated),
            ] + item.authors + ["\u{1E}"] + item.categories)
    }

    /// A 128-bit FNV-1a digest (two lanes) of strings, each followed by 0x1F.
    static func legacyHex(_ parts: [String]) -> String {
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
}

/// XXH64 (Yann Collet's xxHash, 64-bit variant, as specified in its `doc/xxhash_spec.md`),
/// fed in pieces: four independent lanes of 8 bytes a step, reading words little-endian
/// whatever the platform, so the value is the reference implementation's everywhere.
struct XXH64 {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    private let seed: UInt64
    private var lane1, lane2, lane3, lane4: UInt64
    /// The bytes of an unfinished 32-byte stripe, `pending` of them.
    private var stripe: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var pending = 0
    /// How many bytes were combined.
    private var total: UInt64 = 0

    /// A hash of no bytes yet.
    init(seed: UInt64) {
        self.seed = seed
        lane1 = seed &+ Self.prime1 &+ Self.prime2
        lane2 = seed &+ Self.prime2
        lane3 = seed
        lane4 = seed &- Self.prime1
    }

    /// The XXH64 of `bytes` with `seed`.
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var hasher = XXH64(seed: seed)
        hasher.combine(bytes)
        return hasher.value
    }

    /// Mixes `bytes` in, after the bytes combined before.
    mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return }
        total &+= UInt64(count)
        var offset = 0
        if pending > 0 {
            let taken = min(32 - pending, count)
            let start = pending
            withUnsafeMutableBytes(of: &stripe) {
                $0.baseAddress!.advanced(by: start).copyMemory(from: base, byteCount: taken)
            }
            pending += taken
            offset = taken
            guard pending == 32 else { return }
            let full = stripe
            withUnsafeBytes(of: full) { consumeStripe($0, at: 0) }
            pending = 0
        }
        while offset + 32 <= count {
            consumeStripe(bytes, at: offset)
            offset += 32
        }
        if offset < count {
            let rest = count - offset
            withUnsafeMutableBytes(of: &stripe) {
                $0.baseAddress!.copyMemory(from: base.advanced(by: offset), byteCount: rest)
            }
            pending = rest
        }
    }

    /// The hash of the bytes combined so far.
    var value: UInt64 {
        var hash: UInt64
        if total >= 32 {
            hash = lane1.rotated(1) &+ lane2.rotated(7) &+ lane3.rotated(12) &+ lane4.rotated(18)
            hash = Self.merge(hash, lane1)
            hash = Self.merge(hash, lane2)
            hash = Self.merge(hash, lane3)
            hash = Self.merge(hash, lane4)
        } else {
            hash = seed &+ Self.prime5
        }
        hash &+= total
        let count = pending
        withUnsafeBytes(of: stripe) { bytes in
            var offset = 0
            while offset + 8 <= count {
                hash = ((hash ^ Self.round(0, Self.word(bytes, offset))).rotated(27) &* Self.prime1) &+ Self.prime4
                offset += 8
            }
            if offset + 4 <= count {
                let half = UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                hash = ((hash ^ (half &* Self.prime1)).rotated(23) &* Self.prime2) &+ Self.prime3
                offset += 4
            }
            while offset < count {
                hash = (hash ^ (UInt64(bytes[offset]) &* Self.prime5)).rotated(11) &* Self.prime1
                offset += 1
            }
        }
        hash ^= hash >> 33
        hash &*= Self.prime2
        hash ^= hash >> 29
        hash &*= Self.prime3
        hash ^= hash >> 32
        return hash
    }

    @inline(__always)
    private mutating func consumeStripe(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        lane1 = Self.round(lane1, Self.word(bytes, offset))
        lane2 = Self.round(lane2, Self.word(bytes, offset + 8))
        lane3 = Self.round(lane3, Self.word(bytes, offset + 16))
        lane4 = Self.round(lane4, Self.word(bytes, offset + 24))
    }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        (accumulator &+ input &* prime2).rotated(31) &* prime1
    }

    @inline(__always)
    private static func merge(_ hash: UInt64, _ lane: UInt64) -> UInt64 {
        ((hash ^ round(0, lane)) &* prime1) &+ prime4
    }

    @inline(__always)
    private static func word(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}

/// The framing of ``StableHash/content(of:)``.
extension XXH64 {
    /// A presence byte, then the text's length and bytes.
    fileprivate mutating func combine(_ text: String?) {
        guard var text else { return combine(byte: 0) }
        combine(byte: 1)
        combine(text: &text)
    }

    /// A presence byte, then the date's seconds since 1970 as their bit pattern.
    fileprivate mutating func combine(_ date: Date?) {
        guard let date else { return combine(byte: 0) }
        combine(byte: 1)
        combine(word: date.timeIntervalSince1970.bitPattern)
    }

    /// The count, then each text's length and bytes.
    fileprivate mutating func combine(_ texts: [String]) {
        combine(word: UInt64(texts.count))
        for var text in texts { combine(text: &text) }
    }

    private mutating func combine(text: inout String) {
        combine(word: UInt64(text.utf8.count))
        text.withUTF8 { combine(UnsafeRawBufferPointer($0)) }
    }

    private mutating func combine(word: UInt64) {
        withUnsafeBytes(of: word.littleEndian) { combine($0) }
    }

    private mutating func combine(byte: UInt8) {
        withUnsafeBytes(of: byte) { combine($0) }
    }
}

extension UInt64 {
    /// Rotated left by `count` bits.
    @inline(__always)
    fileprivate func rotated(_ count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}
