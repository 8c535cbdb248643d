import Foundation

/// A length of time written the way feeds.toml and the command line write it: `90s`, `30m`,
/// `2h`, `1d` (a whole number and one unit). Parsed once at the edge into a Swift `Duration`.
public struct Interval: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length of time.
    public let duration: Duration

    /// Wraps a duration, e.g. to write it back to feeds.toml.
    public init(_ duration: Duration) {
        self.duration = duration
    }

    /// Parses `90s`, `30m`, `2h` or `1d` (also `500ms`); `nil` for anything else,
    /// including a zero or negative length and a number without a unit.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix(while: \.isASCIIDigitCharacter)
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.count <= 9, let value = Int64(digits), value > 0 else { return nil }
        switch unit {
        case "ms": duration = .milliseconds(value)
        case "s": duration = .seconds(value)
        case "m", "min": duration = .seconds(value * 60)
        case "h": duration = .seconds(value * 3600)
        case "d": duration = .seconds(value * 86_400)
        default: return nil
        }
    }

    /// Whole seconds, rounded down (the unit SQLite and schedules use).
    public var seconds: Double {
        let (s, attos) = duration.components
        return Double(s) + Double(attos) / 1e18
    }

    /// The shortest exact spelling: `1d`, `2h`, `30m`, `90s`, `500ms`.
    public var description: String {
        let (s, attos) = duration.components
        if attos != 0 || s == 0 { return "\(s * 1000 + attos / 1_000_000_000_000_000)ms" }
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where s % size == 0 {
            return "\(s / size)\(unit)"
        }
        return "\(s)s"
    }

    public static func < (lhs: Interval, rhs: Interval) -> Bool { lhs.duration < rhs.duration }
}

extension Character {
    /// `0`…`9` only: `isNumber` would also accept Arabic-Indic digits and fractions.
    fileprivate var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
