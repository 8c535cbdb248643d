import Foundation

/// The character encoding a document's bytes are in, decided once before parsing.
enum SourceEncoding: Equatable {
    case utf8
    /// ISO-8859-1 and US-ASCII are read as windows-1252, as browsers and feed readers do:
    /// the C1 range of "Latin-1" feeds is in practice always windows-1252 punctuation.
    case windows1252
    /// ISO-8859-15 (Latin-9): Latin-1 with €, Œ, œ, Š, š, Ž, ž, Ÿ.
    case latin9
    case utf16LE
    case utf16BE
    /// Any other name: converted to UTF-8 by iconv before parsing (`SourceText`), a byte
    /// invalid in the encoding becoming U+FFFD; libxml2 converts it only when iconv cannot.
    case other(String)

    /// Decides the encoding: byte-order mark, then the HTTP charset, then the XML declaration,
    /// then UTF-8 (which tolerates stray Latin-1 bytes, see `SourceText`).
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>, httpCharset: String?) -> (SourceEncoding, bom: Int) {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return (.utf8, 3) }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return (.utf16LE, 2) }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return (.utf16BE, 2) }
        if bytes.count >= 4, bytes[0] == 0x3C, bytes[1] == 0, bytes[2] != 0 { return (.utf16LE, 0) }
        if bytes.count >= 4, bytes[0] == 0, bytes[1] == 0x3C, bytes[3] != 0 { return (.utf16BE, 0) }
        if let httpCharset, let encoding = named(httpCharset), !encoding.isUTF16 {
            return (encoding, 0)
        }
        if let declared = declaredEncoding(bytes), let encoding = named(declared), !encoding.isUTF16 {
            return (encoding, 0)
        }
        return (.utf8, 0)
    }

    var isUTF16: Bool { self == .utf16LE || self == .utf16BE }

    /// Whether the system's iconv converts `name` to UTF-8 (then `SourceText` does it, and
    /// libxml2 is given UTF-8). libxml2's own conversion stops the parse at the first invalid
    /// byte ("encoder error"), losing every item after it.
    static func iconvConverts(_ name: String) -> Bool {
        let converter = iconv_open("UTF-8", name)
        guard let converter, converter != UnsafeMutableRawPointer(bitPattern: -1) else { return false }
        iconv_close(converter)
        return true
    }

    /// Maps a charset label to an encoding; `nil` for an empty label.
    static func named(_ label: String) -> SourceEncoding? {
        let name = label.trimmingCharacters(in: .whitespacesAndNewlines)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\"'")).lowercased()
        guard !name.isEmpty else { return nil }
        switch name {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return .utf8
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
            "windows-1252", "cp1252", "x-cp1252", "cp819", "ibm819", "iso-ir-100":
            return .windows1252
        case "iso-8859-15", "iso8859-15", "iso_8859-15", "latin-9", "latin9", "l9": return .latin9
        case "utf-16le": return .utf16LE
        case "utf-16be", "utf-16": return .utf16BE
        default: return .other(name)
        }
    }

    /// The `encoding="…"` of an XML declaration at the start of the bytes.
    static func declaredEncoding(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let head = Array(bytes.prefix(256))
        guard head.count > 5, head[0] == 0x3C, head[1] == 0x3F else { return nil }  // "<?"
        guard let end = head.firstIndex(of: 0x3E) else { return nil }
        let declaration = String(decoding: head[..<end], as: UTF8.self)
        guard let range = declaration.range(of: "encoding") else { return nil }
        var rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: quote) else { return nil }
        return String(rest[..<close])
    }
}
