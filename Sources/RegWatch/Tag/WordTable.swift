import Foundation

/// The words the rules know, each with a small integer id, looked up straight from bytes.
///
/// Tagging asks "is this word in any rule?" for every word of every item; almost always the
/// answer is no. Keying a hash table by the folded bytes themselves (open addressing) answers
/// without building a `String` per word, which is most of the cost of a naïve tagger. The
/// hash reads the word eight bytes at a time, and a slot keeps the entry's length and its
/// first 16 bytes side by side, so a look-up of a word of up to 16 bytes (nearly every word)
/// touches one slot and compares it in place; only longer words read the pool.
struct WordTable: Sendable {
    /// One slot of the open-addressing table: the entry's id (-1 when empty), its length,
    /// where its bytes start in `pool`, and its first 16 bytes (zero-padded, little-endian):
    /// 32 bytes, two to a cache line. Most words of a text that pass the filter are in the
    /// table, and reading the pool for each cost a second cache miss and a `memcmp` call.
    private struct Slot {
        var entry: Int32 = -1
        var length: Int32 = 0
        var start: Int32 = 0
        var head0: UInt64 = 0
        var head1: UInt64 = 0
    }

    /// The slots; their count is a power of two.
    private var slots: [Slot]
    /// Entry id → slot and hash, to rebuild the table when it grows.
    private var entries: [Slot] = []
    private var hashes: [UInt64] = []
    private var pool: [UInt8] = []
    /// A Bloom filter of the words, two bits each from the hash: 8 KiB that stay in the
    /// first-level cache, where the slots, touched at a random place by every word of the
    /// text, do not. Most words of a text are in no rule: this answers them.
    private var filter = [UInt64](repeating: 0, count: WordTable.filterWords)
    private static let filterWords = 1024

    init() {
        slots = [Slot](repeating: Slot(), count: 256)
    }

    /// The two filter bits of a hash: (word index, bit) pairs.
    @inline(__always)
    private static func filterBits(_ hash: UInt64) -> (Int, UInt64, Int, UInt64) {
        let first = Int(truncatingIfNeeded: hash) & (filterWords * 64 - 1)
        let second = Int(truncatingIfNeeded: hash >> 16) & (filterWords * 64 - 1)
        return (first >> 6, 1 << UInt64(first & 63), second >> 6, 1 << UInt64(second & 63))
    }

    /// How many distinct words the table holds.
    var count: Int { entries.count }

    /// The id of `bytes`, or -1 when no rule has that word.
    func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let (hash, head0, head1) = Self.key(bytes)
        let (first, firstBit, second, secondBit) = Self.filterBits(hash)
        let known = filter.withUnsafeBufferPointer { $0[first] & firstBit != 0 && $0[second] & secondBit != 0 }
        guard known else { return -1 }
        let length = Int32(truncatingIfNeeded: bytes.count)
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash >> 32) & mask
            while true {
                let candidate = slots[slot]
                if candidate.entry < 0 { return -1 }
                // Equal lengths and first 16 bytes: the same word, unless it is longer.
                if candidate.length == length, candidate.head0 == head0, candidate.head1 == head1,
                    length <= 16
                        || pool.withUnsafeBufferPointer({ pool in
                            memcmp(
                                pool.baseAddress! + Int(candidate.start) + 16, bytes.baseAddress! + 16, bytes.count - 16
                            )
                                == 0
                        })
                {
                    return candidate.entry
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The id of `bytes`, added if new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let existing = id(of: bytes)
        if existing >= 0 { return existing }
        if (entries.count + 1) * 2 > slots.count { grow() }
        let (hash, head0, head1) = Self.key(bytes)
        let entry = Slot(
            entry: Int32(entries.count), length: Int32(bytes.count), start: Int32(pool.count), head0: head0,
            head1: head1)
        entries.append(entry)
        hashes.append(hash)
        pool.append(contentsOf: bytes)
        let (first, firstBit, second, secondBit) = Self.filterBits(hash)
        filter[first] |= firstBit
        filter[second] |= secondBit
        place(entry, hash: hash)
        return entry.entry
    }

    private mutating func place(_ entry: Slot, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash >> 32) & mask
        while slots[slot].entry >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func grow() {
        slots = [Slot](repeating: Slot(), count: slots.count * 2)
        for (entry, hash) in zip(entries, hashes) { place(entry, hash: hash) }
    }

    /// The 1–7 bytes at `bytes`, little-endian and zero-padded, read without a loop and
    /// without reading past them: two overlapping loads (the bytes they share are equal, so
    /// or-ing them changes nothing).
    @inline(__always)
    private static func tail(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        if count >= 4 {
            let low = UInt64(UInt32(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: UnsafeRawPointer(bytes + count - 4).loadUnaligned(as: UInt32.self)))
            return low | high << UInt64((count - 4) * 8)
        }
        let middle = count >> 1
        return UInt64(bytes[0]) | UInt64(bytes[middle]) << UInt64(middle * 8)
            | UInt64(bytes[count - 1]) << UInt64((count - 1) * 8)
    }

    /// A multiplicative hash over the word's bytes read eight at a time (little-endian, the
    /// last block zero-padded), its length mixed in: words are short, so most take one round.
    /// With it, the word's first 16 bytes as two little-endian words, zero-padded: the blocks
    /// the hash reads anyway.
    @inline(__always)
    private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> (hash: UInt64, head0: UInt64, head1: UInt64) {
        let count = bytes.count
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = bytes.baseAddress else { return (hash &* 0xC4CE_B9FE_1A85_EC53, 0, 0) }
        @inline(__always) func mix(_ block: UInt64) {
            hash = (hash ^ block) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 29
        }
        @inline(__always) func block(at offset: Int) -> UInt64 {
            offset + 8 <= count
                ? UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
                : tail(base + offset, count: count - offset)
        }
        // Words of one or two blocks (nearly all) without a loop.
        guard count > 0 else { return (hash &* 0xC4CE_B9FE_1A85_EC53, 0, 0) }
        let head0 = block(at: 0)
        mix(head0)
        guard count > 8 else { return (hash &* 0xC4CE_B9FE_1A85_EC53, head0, 0) }
        let head1 = block(at: 8)
        mix(head1)
        var offset = 16
        while offset < count {
            mix(block(at: offset))
            offset += 8
        }
        return (hash &* 0xC4CE_B9FE_1A85_EC53, head0, head1)
    }
}
