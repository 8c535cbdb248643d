import Foundation

/// The structured pass: steps over well-formed markup and hands element text to the channel.
extension SourceText {
    /// The structured pass: steps over markup, hands element text to `text`, and gives the
    /// rest of the document to `inPlace` from the first construct it does not recognise.
    /// `table` maps bytes 0x80–0xFF of a single-byte encoding; without it, bytes ≥ 0x80 are
    /// UTF-8 (validated when `validateUTF8`) or left to libxml2.
    mutating func rewrite(_ b: UnsafeBufferPointer<UInt8>, table: [UInt32]?, validateUTF8: Bool) {
        run = 0
        let n = b.count
        var i = 0
        // Bytes left to libxml2's own conversion may not even be ASCII-compatible.
        if sendsText, channel != nil, table != nil || validateUTF8 {
            var depth = 0
            while i < n {
                if blockIsFull(i) { copyRun(b, upTo: i); flush() }
                let lessThan = Self.index(of: 0x3C, in: b, from: i)
                if lessThan > i {
                    // (Text that runs to the end of a truncated document is libxml2's to end as it likes.)
                    if depth > 0, lessThan < n {
                        text(b, from: i, to: lessThan, table: table)
                    } else {
                        inPlace(b, from: i, to: lessThan, table: table, validateUTF8: validateUTF8)
                    }
                }
                i = lessThan
                guard i < n, let markup = Self.markup(b, at: i) else { break }
                // A plain tag's bytes stay in the pending run, as they are.
                let sent =
                    markup.isPlain
                    || markup.isCDATA && depth > 0
                        && section(b, from: i + Self.cdataOpening.count, to: markup.end - 3, table: table)
                if !sent { inPlace(b, from: i, to: markup.end, table: table, validateUTF8: validateUTF8) }
                depth += markup.depthChange
                i = markup.end
            }
        }
        if i < n { inPlace(b, from: i, to: n, table: table, validateUTF8: validateUTF8) }
        copyRun(b, upTo: n)
    }

    /// The index of the first `byte` at or after `start`, or the end of `b`.
    static func index(of byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = b.baseAddress, start < b.count else { return b.count }
        guard let found = memchr(base + start, Int32(byte), b.count - start) else { return b.count }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// Element text from `start` to `end` (the next `<`). Plain ASCII stays as it is (libxml2
    /// reads it fast); anything else goes to the channel as its characters, unless it holds
    /// `]]>` (rewritten in place then: libxml2 reports that as an error).
    mutating func text(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, table: [UInt32]?) {
        var i = ByteScan.skip(b, from: start, to: end) {
            ByteScan.flagsHigh($0) | ByteScan.flagsLess($0, than: 0x20) | ByteScan.flagsEqual($0, 0x26)
        }
        while i < end {
            let c = b[i]
            if c >= 0x80 || c == 0x26 || (c < 0x20 && c != 0x0A && c != 0x09) { break }
            i += 1
        }
        guard i < end else { return }  // plain: the bytes stay in the pending run
        if Self.containsCDATAEnd(b, from: start, to: end) {
            inPlace(b, from: start, to: end, table: table, validateUTF8: true)
            return
        }
        copyRun(b, upTo: start)
        beginText(at: start)
        while i < end {
            if blockIsFull(i) { cutText(b, at: i) }
            // Straight to the next byte that is not ordinary (a control byte, `&` or a byte
            // ≥ 0x80: in French, an accent every few words).
            i = ByteScan.skip(b, from: i, to: min(end, i + blockSize)) {
                ByteScan.flagsHigh($0) | ByteScan.flagsLess($0, than: 0x20) | ByteScan.flagsEqual($0, 0x26)
            }
            guard i < end else { break }
            let c = b[i]
            if c >= 0x80 {
                if let table {
                    copyRun(b, upTo: i)
                    emit(scalar: table[Int(c) - 0x80])
                    i += 1
                    run = i
                    continue
                }
                if let length = Self.utf8Length(b, at: i) {
                    i += length
                    continue
                }
                copyRun(b, upTo: i)
                i = transcode(b, at: i, table: nil)
                run = i
                continue
            }
            if c == 0x26 {
                copyRun(b, upTo: i)
                i = decodeReference(b, at: i)
                run = i
                continue
            }
            if c < 0x20 {
                if c == 0x0A || c == 0x09 {
                    i += 1
                    continue
                }
                copyRun(b, upTo: i)
                i += 1
                if c == 0x0D {
                    // XML's line-end normalisation, which libxml2 applies to text: CR LF and a lone CR are LF.
                    out.append(0x0A)
                    if i < end, b[i] == 0x0A { i += 1 }
                } else {
                    out.append(0x20)
                }
                run = i
                continue
            }
            i += 1
        }
        copyRun(b, upTo: end)
        endText(b, at: end)
    }

    /// Whether the bytes from `start` to `end` hold `]]>`.
    static func containsCDATAEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard let base = b.baseAddress else { return false }
        var k = start
        while k < end, let found = memchr(base + k, 0x5D, end - k) {
            let j = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            if j + 2 < end, b[j + 1] == 0x5D, b[j + 2] == 0x3E { return true }
            k = j + 1
        }
        return false
    }

    /// The content (from `start` to `end`) of a CDATA section inside the root element: to the
    /// channel as libxml2 2.9 would report it (bytes as they are, carriage returns included,
    /// bad bytes repaired as everywhere). `false` when it holds a control byte: libxml2 then
    /// rejects the section, and is left to.
    mutating func section(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, table: [UInt32]?) -> Bool {
        var i = start
        while i < end {
            i = ByteScan.skip(b, from: i, to: end) { ByteScan.flagsLess($0, than: 0x20) }
            guard i < end else { break }
            let c = b[i]
            if c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D { return false }
            i += 1
        }
        copyRun(b, upTo: start - Self.cdataOpening.count)
        run = start  // the opening `<![CDATA[` is not copied
        beginText(at: start)
        i = start
        while i < end {
            if blockIsFull(i) { cutText(b, at: i) }
            let limit = min(end, i + blockSize)
            i = Self.firstToTranscode(b, from: i, to: limit, utf8: table == nil)
            guard i < limit else { continue }
            copyRun(b, upTo: i)
            i = transcode(b, at: i, table: table)
            run = i
        }
        copyRun(b, upTo: end)
        endText(b, at: end)
        run = end + 3  // nor the closing `]]>`
        return true
    }

    /// A construct the structured pass steps over whole.
    struct Markup {
        /// The index just after it.
        var end: Int
        /// +1 for a start tag, -1 for an end tag, 0 for the rest.
        var depthChange = 0
        var isCDATA = false
        /// A tag with nothing to rewrite: ASCII without `&` or control bytes in its values.
        var isPlain = false
    }

    /// The construct at the `<` at `i` that the structured pass steps over whole (a start,
    /// end or empty-element tag, a comment, a CDATA section, a processing instruction, a
    /// DOCTYPE without internal subset); `nil` for anything else, well-formed or not.
    static func markup(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Markup? {
        let n = b.count
        guard i + 2 < n else { return nil }
        let c = b[i + 1]
        @inline(__always) func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D }
        switch c {
        case 0x21:  // "<!"
            if let end = opaqueSectionEnd(b, at: i) {
                // Unterminated: `opaqueSectionEnd` gives the end of the input.
                let closing: UInt8 = b[i + 2] == 0x2D ? 0x2D : 0x5D  // "-->" or "]]>"
                guard end >= i + 7, b[end - 1] == 0x3E, b[end - 2] == closing, b[end - 3] == closing else { return nil }
                return Markup(end: end, isCDATA: closing == 0x5D)
            }
            let doctype = Self.doctypeOpening
            guard i + doctype.count < n else { return nil }
            for k in 0..<doctype.count where b[i + k] != doctype[k] { return nil }
            var j = i + doctype.count
            var quote: UInt8 = 0
            while j < n {
                let d = b[j]
                if quote != 0 {
                    if d == quote { quote = 0 }
                } else if d == 0x22 || d == 0x27 {
                    quote = d
                } else if d == 0x3E {
                    return Markup(end: j + 1)
                } else if d == 0x5B || d == 0x3C {  // an internal subset, or a broken declaration
                    return nil
                }
                j += 1
            }
            return nil
        case 0x3F:  // "<?"
            // A document's own marker lookalike would confuse `XMLStream`: libxml2 gets it, and the rest.
            let target = TextChannel.target
            if i + 2 + target.count <= n, (0..<target.count).allSatisfy({ b[i + 2 + $0] == target[$0] }) { return nil }
            var j = i + 2
            while j + 1 < n {
                if b[j] == 0x3F, b[j + 1] == 0x3E { return Markup(end: j + 2) }
                j += 1
            }
            return nil
        case 0x2F:  // "</"
            var j = i + 2
            guard isNameStart(b[j]) else { return nil }
            while j < n, isNameByte(b[j]) { j += 1 }
            while j < n, isBlank(b[j]) { j += 1 }
            guard j < n, b[j] == 0x3E else { return nil }
            return Markup(end: j + 1, depthChange: -1, isPlain: true)
        default:
            guard isNameStart(c) else { return nil }
            var j = i + 2
            while j < n, isNameByte(b[j]) { j += 1 }
            var isPlain = true
            while true {
                let attributeStart = j
                while j < n, isBlank(b[j]) { j += 1 }
                guard j < n else { return nil }
                if b[j] == 0x3E { return Markup(end: j + 1, depthChange: 1, isPlain: isPlain) }
                if b[j] == 0x2F {
                    guard j + 1 < n, b[j + 1] == 0x3E else { return nil }
                    return Markup(end: j + 2, isPlain: isPlain)
                }
                // An attribute: blank, name, `=`, quoted value without `<`.
                guard j > attributeStart, isNameStart(b[j]) else { return nil }
                while j < n, isNameByte(b[j]) { j += 1 }
                while j < n, isBlank(b[j]) { j += 1 }
                guard j < n, b[j] == 0x3D else { return nil }
                j += 1
                while j < n, isBlank(b[j]) { j += 1 }
                guard j < n, b[j] == 0x22 || b[j] == 0x27 else { return nil }
                let quote = b[j]
                j += 1
                while j < n, b[j] != quote {
                    let d = b[j]
                    if d == 0x3C { return nil }
                    if d == 0x26 || d < 0x20 || d >= 0x80 { isPlain = false }
                    j += 1
                }
                guard j < n else { return nil }
                j += 1
            }
        }
    }

    static let doctypeOpening: [UInt8] = Array("<!DOCTYPE".utf8)
}
