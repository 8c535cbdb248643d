import Foundation

/// Where things are in a TOML text: the line of each table header and of each `key = value`.
///
/// TOMLKit gives values but not their positions, and config errors must name a line, so this
/// scans the text once with just enough of TOML's lexical rules (strings, comments, arrays and
/// inline tables spanning lines) not to mistake a value for a key.
struct TOMLSourceMap {
    /// A table as written: `fetch` (`[fetch]`), or the `index`-th `[[feeds]]` (0-based).
    struct TablePath: Hashable {
        var name: String
        var index: Int?
    }

    /// 1-based line of each header.
    private(set) var headerLines: [TablePath: Int] = [:]
    /// 1-based line of each key, per table (the root table is name "").
    private(set) var keyLines: [TablePath: [String: Int]] = [:]
    /// 1-based line of every `[[name]]` header, in order.
    private(set) var arrayHeaderLines: [String: [Int]] = [:]
    /// Headers whose name starts with neither a bare-key character nor a quote (`[é]`,
    /// `[.fetch]`, `[?]`), with their line. TOMLKit's parser (toml++) does not report these: it
    /// fails an assertion and aborts the process, so they must never reach it.
    private(set) var malformedHeaders: [(line: Int, header: String)] = []

    init(text: String) {
        var current = TablePath(name: "", index: nil)
        var arrayCounts: [String: Int] = [:]
        var depth = 0  // open [ or { of a value spanning lines
        var inMultilineString: String? = nil  // the delimiter, """ or '''
        // A byte order mark (editors on Windows write one) is not part of the first line: TOML
        // skips it, and a header right after it must be seen as one.
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = Substring(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
            if let delimiter = inMultilineString {
                if line.contains(delimiter) { inMultilineString = nil }
                continue
            }
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if depth == 0, trimmed.hasPrefix("[") {
                let isArray = trimmed.hasPrefix("[[")
                let close = isArray ? "]]" : "]"
                let body = trimmed.dropFirst(isArray ? 2 : 1)
                // Nothing after the bracket on its line (`[[` then a newline) is one of them too.
                if !(body.first(where: { $0 != " " && $0 != "\t" }).map(Self.startsAKey) ?? false) {
                    malformedHeaders.append((lineNumber, String(trimmed.prefix(40))))
                    continue
                }
                guard let end = body.range(of: close) else { continue }
                let name = Self.unquoteKey(String(body[..<end.lowerBound]))
                if isArray {
                    let index = arrayCounts[name, default: 0]
                    arrayCounts[name] = index + 1
                    current = TablePath(name: name, index: index)
                    arrayHeaderLines[name, default: []].append(lineNumber)
                } else {
                    current = TablePath(name: name, index: nil)
                }
                headerLines[current] = lineNumber
                continue
            }
            if depth == 0, let equals = Self.keyEnd(trimmed) {
                let key = Self.unquoteKey(String(trimmed[..<equals]))
                if keyLines[current]?[key] == nil { keyLines[current, default: [:]][key] = lineNumber }
                let value = trimmed[trimmed.index(after: equals)...]
                (depth, inMultilineString) = Self.scanValue(value, depth: 0)
            } else if depth > 0 {
                (depth, inMultilineString) = Self.scanValue(trimmed, depth: depth)
            }
        }
    }

    /// A bare key character (`A-Z a-z 0-9 _ -`) or a quote: what a key may start with.
    private static func startsAKey(_ c: Character) -> Bool {
        guard let ascii = c.asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return c == "_" || c == "-" || c == "\"" || c == "'" || c == "]"  // "[]" is TOMLKit's to report
        }
    }

    /// The line of `key` in `table`, else of the table's header, else `nil`.
    func line(of key: String?, in table: TablePath) -> Int? {
        if let key, let line = keyLines[table]?[key] { return line }
        return headerLines[table]
    }

    /// The position of the `=` of a `key = value` line, `nil` for a comment or blank line.
    private static func keyEnd(_ line: Substring) -> Substring.Index? {
        guard let first = line.first, first != "#" else { return nil }
        var quote: Character? = nil
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "=" {
                return index
            } else if c == "#" {
                return nil
            }
            index = line.index(after: index)
        }
        return nil
    }

    /// A key as TOML means it: quotes removed, whitespace around dots dropped.
    private static func unquoteKey(_ raw: String) -> String {
        raw.split(separator: ".").map {
            var part = $0.trimmingCharacters(in: .whitespaces)
            if part.count >= 2, let f = part.first, f == "\"" || f == "'", part.last == f {
                part = String(part.dropFirst().dropLast())
            }
            return part
        }.joined(separator: ".")
    }

    /// Follows brackets and strings through a value: the bracket depth left open at the end of
    /// the line, and the multi-line string delimiter left open, if any.
    private static func scanValue(_ value: Substring, depth start: Int) -> (Int, String?) {
        var depth = start
        var chars = Array(value)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "#" { break }
            if c == "\"" || c == "'" {
                let triple = i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c
                if triple {
                    let delimiter = String(repeating: c, count: 3)
                    let rest = String(chars[(i + 3)...])
                    guard let close = rest.range(of: delimiter) else { return (depth, delimiter) }
                    chars = Array(rest[close.upperBound...])
                    i = 0
                    continue
                }
                i += 1
                while i < chars.count, chars[i] != c {
                    if c == "\"" && chars[i] == "\\" { i += 1 }
                    i += 1
                }
            } else if c == "[" || c == "{" {
                depth += 1
            } else if c == "]" || c == "}" {
                depth = max(0, depth - 1)
            }
            i += 1
        }
        return (depth, nil)
    }
}

extension TOMLSourceMap {
    /// Every header line (tables and arrays of tables), sorted.
    var allHeaderLines: [Int] { headerLines.values.sorted() }

    /// The lines of the keys of one table.
    func keyLinesOf(_ table: TablePath) -> [String: Int] { keyLines[table] ?? [:] }
}
