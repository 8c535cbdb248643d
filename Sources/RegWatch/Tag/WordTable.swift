import FeedParser

/// The words the rules know, each with a small integer id, looked up straight from bytes.
///
/// Tagging asks "is this word in any rule?" for every word of every item; almost always the
/// answer is no. Keying a hash table by the folded bytes themselves (FNV-1a, open
/// addressing) answers without building a `String` per word, which is most of the cost of
/// a naïve tagger.
struct WordTable: Sendable {
    /// Slot → entry index, or -1 when empty. The count is a power of two.
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var pool: [UInt8] = []

    init() {
        slots = [Int32](repeating: -1, count: 256)
    }

    /// How many distinct words the table holds.
    var count: Int { hashes.count }

    /// The id of `bytes`, or -1 when no rule has that word.
    func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { return -1 }
            if hashes[Int(entry)] == hash, equals(Int(entry), bytes) { return entry }
            slot = (slot + 1) & mask
        }
    }

    /// The id of `bytes`, added if new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let existing = id(of: bytes)
        if existing >= 0 { return existing }
        if (hashes.count + 1) * 2 > slots.count { grow() }
        let entry = Int32(hashes.count)
        hashes.append(Self.hash(bytes))
        starts.append(pool.count)
        lengths.append(bytes.count)
        pool.append(contentsOf: bytes)
        place(entry)
        return entry
    }

    private func equals(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lengths[entry] == bytes.count else { return false }
        let start = starts[entry]
        for offset in 0..<bytes.count where pool[start + offset] != bytes[offset] { return false }
        return true
    }

    private mutating func place(_ entry: Int32) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hashes[Int(entry)]) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for entry in hashes.indices { place(Int32(entry)) }
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 { FNV1a.hash(bytes) }
}
