import Foundation

/// The pieces of RFC 2045/2047/5322 the digest email needs, written out because Foundation
/// has none of them on Linux and no package in the mirror is smaller than these ~100 lines.
enum DigestMIME {
    /// A header value with every character that could end or fold a header removed:
    /// CR, LF and the other control characters become spaces, then runs of spaces collapse.
    static func headerSafe(_ text: String) -> String {
        DigestText.clean(text)
    }

    /// The bare address of `Name <user@host>` (or of `user@host`), for SMTP's envelope.
    static func addressSpec(_ address: String) -> String {
        let cleaned = headerSafe(address)
        if let open = cleaned.lastIndex(of: "<"), let close = cleaned.lastIndex(of: ">"), open < close {
            return String(cleaned[cleaned.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
        }
        return cleaned
    }

    /// `Subject: …` as RFC 2047 encoded-words (`=?UTF-8?Q?…?=`), each at most 75 characters,
    /// folded onto continuation lines; plain when the text is printable ASCII.
    /// Characters are never split across two encoded-words.
    static func encodedHeader(name: String, value: String) -> String {
        let value = headerSafe(value)
        let plain = value.utf8.allSatisfy { (0x20...0x7E).contains($0) }
        if plain && name.count + 2 + value.count <= 78 && !value.contains("=?") {
            return "\(name): \(value)"
        }
        let prefix = "=?UTF-8?Q?"
        let suffix = "?="
        var words: [String] = []
        var current = ""
        var limit = 75 - (name.count + 2)
        for character in value {
            var encoded = ""
            for byte in String(character).utf8 {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "*"),
                    UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"):
                    encoded.unicodeScalars.append(Unicode.Scalar(byte))
                case UInt8(ascii: " "):
                    encoded += "_"
                default:
                    encoded += hexEscape(byte)
                }
            }
            if !current.isEmpty && prefix.count + current.count + encoded.count + suffix.count > limit {
                words.append(prefix + current + suffix)
                current = ""
                limit = 75 - 1
            }
            current += encoded
        }
        if !current.isEmpty || words.isEmpty { words.append(prefix + current + suffix) }
        return "\(name): " + words.joined(separator: "\r\n ")
    }

    /// `text` as one or more RFC 2047 encoded-words (for a display name), or as is when it is
    /// plain ASCII letters, digits and spaces.
    static func encodedWords(_ text: String) -> String {
        let text = headerSafe(text)
        if text.unicodeScalars.allSatisfy({
            $0.isASCII && ($0.properties.isAlphabetic || $0 == " " || ("0"..."9").contains($0))
        }) {
            return text
        }
        let words = String(encodedHeader(name: "X", value: text).dropFirst(3)).replacingOccurrences(
            of: "\r\n ", with: " ")
        if words.hasPrefix("=?") { return words }
        // Printable ASCII with specials such as "(" or ",": a quoted string.
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }

    /// An address list header (`To: a@x, b@y`), one address per folded line when it would be long.
    static func addressHeader(name: String, addresses: [String]) -> String {
        let cleaned = addresses.map(headerSafe).filter { !$0.isEmpty }
        let single = "\(name): " + cleaned.joined(separator: ", ")
        if single.count <= 78 { return single }
        return "\(name): " + cleaned.joined(separator: ",\r\n ")
    }

    /// The text as a quoted-printable body (RFC 2045 §6.7): UTF-8 bytes, `=` and non-ASCII
    /// escaped, lines of at most 76 characters (soft breaks `=`), CRLF line ends. A line
    /// starting with `.` or `From ` is escaped too, for mail transports that treat them specially.
    static func quotedPrintable(_ text: String) -> String {
        var output: [String] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if index == lines.count - 1 && line.isEmpty { break }
            let bytes = Array(line.utf8)
            var physical = ""
            for (position, byte) in bytes.enumerated() {
                let isLast = position == bytes.count - 1
                var token: String
                switch byte {
                case UInt8(ascii: "="):
                    token = hexEscape(byte)
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    token = isLast ? hexEscape(byte) : String(UnicodeScalar(byte))
                case 33...126:
                    token = String(UnicodeScalar(byte))
                default:
                    token = hexEscape(byte)
                }
                if physical.isEmpty
                    && (byte == UInt8(ascii: ".")
                        || (byte == UInt8(ascii: "F")
                            && bytes[position...].starts(with: Array("From ".utf8))))
                {
                    token = hexEscape(byte)
                }
                // A soft break costs one column: keep every physical line at 76 at most.
                let room = isLast ? 76 : 75
                if physical.count + token.count > room {
                    output.append(physical + "=")
                    physical = ""
                    if byte == UInt8(ascii: ".") { token = hexEscape(byte) }
                }
                physical += token
            }
            output.append(physical)
        }
        return output.joined(separator: "\r\n") + "\r\n"
    }

    /// `Mon, 08 Dec 2025 08:00:00 +0100`: the RFC 5322 date of `date` in `timeZone`.
    static func date(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let offset = timeZone.secondsFromGMT(for: date) / 60
        let sign = offset < 0 ? "-" : "+"
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[parts.weekday! - 1]), \(two(parts.day!)) \(months[parts.month! - 1]) \(parts.year!) "
            + "\(two(parts.hour!)):\(two(parts.minute!)):\(two(parts.second!)) "
            + "\(sign)\(two(abs(offset) / 60))\(two(abs(offset) % 60))"
    }

    /// The domain of an address (`veille@example.org` → `example.org`), reduced to the
    /// characters a Message-ID's right-hand side may hold; `regwatch.invalid` when there is none.
    static func domain(of address: String) -> String {
        let afterAt = address.split(separator: "@").last.map(String.init) ?? ""
        let domain = afterAt.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
        return address.contains("@") && !domain.isEmpty ? domain : "regwatch.invalid"
    }

    static func hexEscape(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF")
        return "=" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
    }
}
