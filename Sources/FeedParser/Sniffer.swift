import Foundation

/// Guesses what a document is from its first bytes, without parsing it.
enum Sniffer {
    enum Kind: Equatable {
        case xml, json, html, empty, text
    }

    /// The first few kilobytes as UTF-8 text (UTF-16 decoded), BOM and leading whitespace removed.
    static func head(of data: Data, limit: Int = 4096) -> [UInt8] {
        var bytes = [UInt8](data.prefix(limit))
        if bytes.count >= 2,
            (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)
                || (bytes.count >= 4 && ((bytes[0] == 0x3C && bytes[1] == 0) || (bytes[0] == 0 && bytes[1] == 0x3C)))
        {
            let little = bytes[0] == 0xFF || bytes[1] == 0
            var units: [UInt16] = []
            var i = 0
            while i + 1 < bytes.count {
                units.append(
                    little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
                )
                i += 2
            }
            bytes = Array(String(decoding: units, as: UTF16.self).utf8)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let first = bytes.firstIndex(where: {
            !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xBB || $0 == 0xBF || $0 == 0xEF)
        }) {
            bytes.removeFirst(first)
        } else {
            bytes.removeAll()
        }
        return bytes
    }

    static func kind(of data: Data) -> Kind {
        let bytes = head(of: data)
        guard let first = bytes.first else { return .empty }
        if first == UInt8(ascii: "{") { return .json }
        guard first == UInt8(ascii: "<") else { return .text }
        if let root = rootName(bytes)?.lowercased() {
            if root == "html" || root == "body" || root == "head" { return .html }
            // An HTML doctype says HTML unless a feed's root follows it (feeds made by HTML
            // templates carry one; feedparser reads them).
            let local = root.split(separator: ":").last.map(String.init) ?? root
            if hasHTMLDoctype(bytes), !feedRoots.contains(local) { return .html }
            return .xml
        }
        let text = String(decoding: bytes.prefix(512), as: UTF8.self).lowercased()
        if hasHTMLDoctype(bytes, within: 512) || text.contains("<html") { return .html }
        return .xml
    }

    /// Local names of the root elements of the feed formats.
    static let feedRoots: Set<String> = ["rss", "rdf", "feed", "channel"]

    /// Whether the first `limit` bytes of the head hold `<!DOCTYPE html`, in any case.
    static func hasHTMLDoctype(_ b: [UInt8], within limit: Int = 1024) -> Bool {
        let pattern = htmlDoctype
        let end = min(b.count, limit) - pattern.count
        guard end >= 0 else { return false }
        for start in 0...end where b[start] == 0x3C {  // '<'
            if (1..<pattern.count).allSatisfy({ b[start + $0] | (pattern[$0] >= 0x61 ? 0x20 : 0) == pattern[$0] }) {
                return true
            }
        }
        return false
    }

    private static let htmlDoctype: [UInt8] = Array("<!doctype html".utf8)

    /// The name of the first element (prefix included), skipping the XML declaration,
    /// processing instructions, comments and the DOCTYPE.
    static func rootName(_ b: [UInt8]) -> String? {
        var i = 0
        let n = b.count
        while i < n {
            guard b[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            if i + 1 < n, b[i + 1] == UInt8(ascii: "?") || b[i + 1] == UInt8(ascii: "!") {
                if i + 3 < n, b[i + 2] == UInt8(ascii: "-"), b[i + 3] == UInt8(ascii: "-") {
                    // comment: find -->
                    var j = i + 4
                    while j + 2 < n, !(b[j] == 0x2D && b[j + 1] == 0x2D && b[j + 2] == 0x3E) { j += 1 }
                    i = j + 3
                    continue
                }
                let isDoctype = b[i + 1] == UInt8(ascii: "!")
                // skip to the matching '>' (DOCTYPE may hold an internal subset in brackets)
                var j = i + 2
                var bracket = 0
                while j < n {
                    if b[j] == UInt8(ascii: "[") { bracket += 1 }
                    if b[j] == UInt8(ascii: "]") { bracket -= 1 }
                    if b[j] == UInt8(ascii: ">") && (bracket <= 0 || !isDoctype) { break }
                    j += 1
                }
                i = j + 1
                continue
            }
            var j = i + 1
            while j < n, !(b[j] == 0x20 || b[j] == 0x09 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x3E || b[j] == 0x2F)
            { j += 1 }
            guard j > i + 1 else { return nil }
            return String(decoding: b[(i + 1)..<j], as: UTF8.self)
        }
        return nil
    }
}
