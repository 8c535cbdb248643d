import CLibXML2

/// RFC 3986 reference resolution through libxml2's `xmlBuildURI`.
enum URLResolver {
    /// True when `reference` starts with a scheme (`https:`, `mailto:`, `urn:`).
    static func isAbsolute(_ reference: String) -> Bool {
        var sawLetter = false
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                sawLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if !sawLetter { return false }
            case UInt8(ascii: ":"):
                return sawLetter
            default:
                return false
            }
        }
        return false
    }

    /// `reference` resolved against `base`; `reference` itself when it is already absolute,
    /// when there is no base, or when libxml2 cannot make sense of the pair.
    static func resolve(_ reference: String, against base: String?) -> String {
        guard let base, !base.isEmpty, !isAbsolute(reference) else { return reference }
        guard let built = xmlBuildURI(reference, base) else { return reference }
        defer { cxml_free(built) }
        return String(cString: built)
    }

    /// Trims the whitespace feeds put around URLs; `nil` when nothing is left.
    static func trimmed(_ text: String?) -> String? {
        guard let text else { return nil }
        let value = text.trimmingWhitespacesAndNewlines()
        return value.isEmpty ? nil : value
    }
}

import Foundation
