/// Word-at-a-time byte tests: the hot loops skip eight ordinary bytes per step and look at
/// single bytes only around the ones that matter. Each test is exact: it is true if and only
/// if one of the eight bytes qualifies (the classic "has zero byte" / "has byte less than"
/// bit tricks, whose borrows can only follow a qualifying byte).
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `pointer`, in memory order: the first in the low byte.
    @inline(__always)
    static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// Some byte of `word` is zero.
    @inline(__always)
    static func hasZero(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }

    /// Some byte of `word` equals `byte`.
    @inline(__always)
    static func has(_ word: UInt64, _ byte: UInt8) -> Bool { hasZero(word ^ (ones &* UInt64(byte))) }

    /// Some byte of `word` is below `limit` (`limit` ≤ 128).
    @inline(__always)
    static func hasLess(_ word: UInt64, than limit: UInt8) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & highs != 0
    }

    /// 0x80 in each byte of `word` that equals `byte`, 0 in the others. Exact per byte (no
    /// borrow from one byte into the next), unlike the test of `has`, at a few more operations.
    @inline(__always)
    static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((x & lows) &+ lows) | x | lows)
    }

    /// Some byte of `word` is ≥ 0x80.
    @inline(__always)
    static func hasHigh(_ word: UInt64) -> Bool { word & highs != 0 }

    // Flags: 0x80 in the first byte of `word` that qualifies (exactly), and maybe in later
    // bytes (a borrow may flag a byte after a qualifying one). Flags of several tests can be
    // or-ed together: `first` of the union is the first byte that passes any of them.

    /// Flags bytes equal to `byte`.
    @inline(__always)
    static func flagsEqual(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs
    }

    /// Flags bytes below `limit` (`limit` ≤ 128).
    @inline(__always)
    static func flagsLess(_ word: UInt64, than limit: UInt8) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word & highs
    }

    /// Flags bytes ≥ 0x80 (exactly).
    @inline(__always)
    static func flagsHigh(_ word: UInt64) -> UInt64 { word & highs }

    /// The offset (0–7) of the first flagged byte; `flags` must not be zero.
    @inline(__always)
    static func first(_ flags: UInt64) -> Int { flags.trailingZeroBitCount >> 3 }

    /// Steps eight bytes at a time from `start` while `flags` (built from the tests above)
    /// marks none of them; returns the index of the first marked byte, or where fewer than
    /// eight bytes before `end` remain (the caller reads those one by one).
    @inline(__always)
    static func skip(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, until flags: (UInt64) -> UInt64
    ) -> Int {
        guard let base = bytes.baseAddress else { return start }
        var i = start
        while i + 8 <= end {
            let marked = flags(load(base + i))
            if marked != 0 { return i + first(marked) }
            i += 8
        }
        return i
    }
}
