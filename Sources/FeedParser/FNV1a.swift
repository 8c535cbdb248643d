/// The 64-bit FNV-1a hash: stable across runs, processes and platforms (Swift's `Hasher`
/// is seeded per process), cheap enough for every word of every item. Item identities,
/// story keys, poll jitter, page digests and the tagger's word table all use this one.
/// Not cryptography.
///
/// ```swift
/// FNV1a.hash("décret".utf8)            // one call
/// var fnv = FNV1a(); fnv.combine(0x2F)  // or byte by byte
/// ```
public struct FNV1a: Sendable, Hashable {
    /// The FNV offset basis, the state before any byte.
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The 64-bit FNV prime.
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    @usableFromInline var state: UInt64

    /// The hash of the bytes combined so far.
    @inlinable public var value: UInt64 { state }

    /// A hash that starts from `seed` (the offset basis unless a caller salts it).
    @inlinable public init(seed: UInt64 = FNV1a.offsetBasis) { state = seed }

    /// Mixes one more byte in.
    @inlinable @inline(__always) public mutating func combine(_ byte: UInt8) {
        state = (state ^ UInt64(byte)) &* Self.prime
    }

    /// Mixes the bytes in, in order.
    @inlinable public mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { combine(byte) }
    }

    /// The hash of `bytes` from the offset basis.
    @inlinable public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var fnv = FNV1a()
        fnv.combine(bytes)
        return fnv.value
    }

    /// `value` as 16 lowercase hex digits, zero-padded.
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
