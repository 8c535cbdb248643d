import Foundation

/// A number of bytes, written `10MiB`, `512KiB`, `1MB`, `2GiB`, `800B` or a plain integer
/// (bytes). Binary units (KiB, MiB, GiB) are powers of 1024, decimal ones (kB, MB, GB) of 1000.
public struct ByteSize: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The size in bytes.
    public let bytes: Int

    /// A size of `bytes` bytes.
    public init(bytes: Int) {
        self.bytes = bytes
    }

    /// Parses `10MiB`, `512 KiB`, `1MB`, `4096`; `nil` for anything else (also a negative
    /// size or one that overflows).
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix(while: { ("0"..."9").contains($0) })
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, let value = Int(digits) else { return nil }
        let multiplier: Int
        switch unit.lowercased() {
        case "", "b": multiplier = 1
        case "kib": multiplier = 1 << 10
        case "mib": multiplier = 1 << 20
        case "gib": multiplier = 1 << 30
        case "kb": multiplier = 1000
        case "mb": multiplier = 1_000_000
        case "gb": multiplier = 1_000_000_000
        default: return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        bytes = product
    }

    /// The shortest exact binary spelling: `10MiB`, `512KiB`, `1000B`.
    public var description: String {
        for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where bytes != 0 && bytes % size == 0 {
            return "\(bytes / size)\(unit)"
        }
        return "\(bytes)B"
    }

    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }

    /// 1 KiB, 1 MiB: for defaults and tests.
    public static func kibibytes(_ n: Int) -> ByteSize { ByteSize(bytes: n << 10) }
    /// `n` MiB.
    public static func mebibytes(_ n: Int) -> ByteSize { ByteSize(bytes: n << 20) }
}
