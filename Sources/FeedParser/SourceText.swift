import CLibXML2
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

/// Turns a document's bytes into what libxml2 is given: UTF-8 (unless libxml2 converts an
/// exotic encoding itself), with every entity reference libxml2 could lose rewritten, and the
/// text of elements sent past libxml2 through a `TextChannel`.
///
/// Why references: libxml2 drops undeclared entities (`&eacute;` in a feed without DTD), and
/// in recover mode, once a document is known to be ill-formed, 2.9.x also drops predefined ones
/// (`&amp;`). Character references survive both. So wherever bytes go to libxml2 (attribute
/// values, and all of the document once the structured pass below gives up) `&eacute;` becomes
/// `&#233;`, `&amp;` `&#38;`, a stray `&` (`AT&T`) `&#38;`, and an unknown name (`&foo;`)
/// literal text. Bytes invalid in UTF-8 are read as windows-1252 (a Latin-1 byte in a UTF-8
/// feed is the usual culprit), control characters XML forbids become spaces: the feed is never
/// lost to one bad byte. Comments, and CDATA sections libxml2 reads itself, go as they are.
///
/// Why the channel: libxml2 2.9 reads element text that is not plain ASCII one character at a
/// time (`xmlCurrentChar`), with an event per reference, and CDATA sections three times over.
/// French text is full of accents, escaped HTML of `&lt;`, WordPress content of CDATA. So the
/// text inside the root element that holds any of these, and CDATA sections there, go to the
/// channel as the very characters libxml2 would have reported (references decoded as above,
/// line ends normalised in text as XML does, kept in CDATA as libxml2 2.9 keeps them), and
/// libxml2 gets a marker in their place (see `TextChannel`). Only well-formed markup is
/// stepped over this way: from the first construct that is not (a stray `<`, a DOCTYPE with an
/// internal subset, a name outside ASCII) to the end of the document, bytes are only rewritten
/// in place, as libxml2 would otherwise get them.
///
/// Output goes out in blocks, so memory stays flat.
struct SourceText {
    /// Where the blocks go (libxml2's push parser).
    typealias Sink = (UnsafeBufferPointer<UInt8>) -> Void

    private let blockSize = 64 * 1024
    private var out: [UInt8] = []
    private let sink: Sink
    /// The start of the input bytes not yet copied to `out`: bytes that need no change are
    /// copied in runs, not one by one.
    private var run = 0
    /// Where element text goes instead of libxml2; `nil`: everything goes to libxml2.
    private let channel: TextChannel?
    /// Whether element text goes to the channel (see above); tests turn it off to check that
    /// the handler sees the same events either way.
    var sendsText = true
    /// Where the element text being written to `out` began, in `out` and in the input; `nil`
    /// while no text is open.
    private var openText: (output: Int, input: Int)?
    /// The channel's `pendingBytes`, as of the last send or flush (the only times it changes):
    /// read on every step of the loops, where asking the channel would cost an access check.
    private var channelPending = 0

    init(channel: TextChannel? = nil, sink: @escaping Sink) {
        self.sink = sink
        self.channel = channel
        out.reserveCapacity(blockSize + 64)
    }

    /// Feeds all of `input` (without its byte-order mark) through the rewriter to the sink.
    mutating func run(_ input: UnsafeBufferPointer<UInt8>, encoding: SourceEncoding) {
        switch encoding {
        case .utf16LE, .utf16BE:
            let utf8 = Self.utf8(fromUTF16: input, littleEndian: encoding == .utf16LE)
            utf8.withUnsafeBufferPointer { rewrite($0, table: nil, validateUTF8: true) }
        case .utf8:
            rewrite(input, table: nil, validateUTF8: true)
        case .windows1252:
            rewrite(input, table: Self.windows1252, validateUTF8: false)
        case .latin9:
            rewrite(input, table: Self.latin9, validateUTF8: false)
        case .other(let name):
            if let utf8 = Self.utf8(from: input, iconvName: name) {
                utf8.withUnsafeBufferPointer { rewrite($0, table: nil, validateUTF8: true) }
            } else {
                rewrite(input, table: nil, validateUTF8: false)  // libxml2 converts (see `iconvConverts`)
            }
        }
        flush()
    }

    private mutating func flush() {
        guard !out.isEmpty else { return }
        out.withUnsafeBufferPointer { sink($0) }
        out.removeAll(keepingCapacity: true)
        // libxml2 reads every marker of a block as the block arrives, unless it stopped
        // reading the document: then nobody will ever ask for the texts.
        if let channel, channel.pendingBytes > 4 * blockSize { channel.clear() }
        channelPending = channel?.pendingBytes ?? 0
    }

    /// Whether the bytes waiting for libxml2 (in `out`, in the input run up to `i`, in the
    /// channel) make a block: then they go out, so memory stays flat whatever the document.
    @inline(__always)
    private func blockIsFull(_ i: Int) -> Bool {
        out.count + (i - run) + channelPending >= blockSize
    }

    private mutating func beginText(at input: Int) { openText = (out.count, input) }

    /// Sends the text written to `out` since `beginText` (its input ending at `input`) to the
    /// channel, and writes its marker in its place.
    private mutating func endText(_ b: UnsafeBufferPointer<UInt8>, at input: Int) {
        guard let (output, start) = openText, let channel else { return }
        openText = nil
        guard out.count > output else { return }
        let id = out.withUnsafeBufferPointer { channel.send(UnsafeBufferPointer(rebasing: $0[output...])) }
        channelPending = channel.pendingBytes
        out.removeLast(out.count - output)
        out.append(contentsOf: Self.markerOpening)
        var digits: [UInt8] = []
        var rest = id
        repeat {
            digits.append(0x30 + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        out.append(contentsOf: digits.reversed())
        // The line feeds of the input text, so that libxml2 counts the lines it would have.
        var k = start
        while let base = b.baseAddress, k < input, let found = memchr(base + k, 0x0A, input - k) {
            out.append(0x0A)
            k = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
        }
        out.append(0x3F)  // ?>
        out.append(0x3E)
    }

    /// Ends the open text at input index `i` and sends the block, then goes on with a new
    /// text from there: one text may be longer than a block.
    private mutating func cutText(_ b: UnsafeBufferPointer<UInt8>, at i: Int) {
        copyRun(b, upTo: i)
        endText(b, at: i)
        flush()
        beginText(at: i)
    }

    private static let markerOpening: [UInt8] = Array("<?".utf8) + TextChannel.target + [0x20]

    /// Copies the pending input bytes up to `end` (they need no change) to the output.
    @inline(__always)
    private mutating func copyRun(_ b: UnsafeBufferPointer<UInt8>, upTo end: Int) {
        guard end > run else { return }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<end]))
        run = end
    }

    private mutating func emit(scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    private mutating func emitCharacterReference(_ scalar: UInt32) {
        out.append(0x26)  // &#
        out.append(0x23)
        var divisor: UInt32 = 1
        while divisor <= scalar / 10 { divisor *= 10 }
        var rest = scalar
        while divisor > 0 {
            out.append(0x30 + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
        out.append(0x3B)
    }

    private static let lt: [UInt8] = Array("&#60;".utf8), gt: [UInt8] = Array("&#62;".utf8)
    private static let amp: [UInt8] = Array("&#38;".utf8), quot: [UInt8] = Array("&#34;".utf8)
    private static let apos: [UInt8] = Array("&#39;".utf8)

    /// The character `lt`, `gt`, `amp`, `quot` or `apos` stands for; `nil` for other names.
    private static func predefinedCharacter(_ name: UnsafeBufferPointer<UInt8>) -> UInt8? {
        switch name.count {
        case 2 where name[1] == 0x74:  // "t"
            return name[0] == 0x6C ? 0x3C : name[0] == 0x67 ? 0x3E : nil
        case 3 where name[0] == 0x61 && name[1] == 0x6D && name[2] == 0x70: return 0x26
        case 4 where name[0] == 0x71 && name[1] == 0x75 && name[2] == 0x6F && name[3] == 0x74: return 0x22
        case 4 where name[0] == 0x61 && name[1] == 0x70 && name[2] == 0x6F && name[3] == 0x73: return 0x27
        default: return nil
        }
    }

    /// What an `&` starts, as libxml2 would be made to read it.
    private enum Reference {
        /// A numeric reference, its code point repaired (`&#146;` is windows-1252's `’`; one
        /// XML forbids is U+FFFD).
        case numeric(UInt32)
        /// One of the five XML entities: the ASCII character.
        case predefined(UInt8)
        /// An HTML named entity.
        case html([UInt32])
        /// A name no table knows: kept as literal text `&name;` (the name is at this range).
        case unknown(Range<Int>)
        /// An `&` that starts no reference: a literal `&`, the bytes after it read as text.
        case stray
    }

    /// Reads the reference at the `&` at `i`; the index after it (after the `&` alone when stray).
    private static func reference(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Reference, next: Int) {
        let n = b.count
        var j = i + 1
        if j < n, b[j] == 0x23 {  // &#
            guard let (value, next) = numericReference(b, at: i, maximumDigits: 8) else { return (.stray, i + 1) }
            return (.numeric(xmlAllowed(value) ? c1Repaired(value) : 0xFFFD), next)
        }
        // &name;
        while j < n, j - i <= 32, isNameByte(b[j]) { j += 1 }
        guard j > i + 1, j < n, b[j] == 0x3B, isNameStart(b[i + 1]) else { return (.stray, i + 1) }
        let name = UnsafeBufferPointer(rebasing: b[(i + 1)..<j])
        // The five XML entities, the bulk of escaped HTML, before any table lookup.
        if let character = predefinedCharacter(name) { return (.predefined(character), j + 1) }
        if let scalars = HTMLEntities.lookup(name) { return (.html(scalars), j + 1) }
        return (.unknown((i + 1)..<j), j + 1)
    }

    /// The code point of the numeric reference `&#…;` or `&#x…;` at the `&` at `i` (at most
    /// `maximumDigits` digits) and the index after its `;`; `nil` when it is not one.
    static func numericReference(_ b: UnsafeBufferPointer<UInt8>, at i: Int, maximumDigits: Int) -> (UInt32, next: Int)? {
        let n = b.count
        var j = i + 2
        var hex = false
        if j < n, b[j] | 0x20 == 0x78 { hex = true; j += 1 }  // x or X
        var value: UInt32 = 0
        let digitsStart = j
        while j < n, j - digitsStart < maximumDigits {
            let d = b[j]
            if d >= 0x30 && d <= 0x39 {
                value = value * (hex ? 16 : 10) + UInt32(d - 0x30)
            } else if hex, (d | 0x20) >= 0x61 && (d | 0x20) <= 0x66 {
                value = value * 16 + UInt32((d | 0x20) - 0x61 + 10)
            } else {
                break
            }
            j += 1
        }
        guard j > digitsStart, j < n, b[j] == 0x3B else { return nil }
        return (value, j + 1)
    }

    /// Rewrites the reference at the `&` at `i` as character references; the index after it.
    private mutating func rewriteReference(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let (reference, next) = Self.reference(b, at: i)
        switch reference {
        case .numeric(let scalar):
            emitCharacterReference(scalar)
        case .predefined(let character):
            switch character {
            case 0x3C: out.append(contentsOf: Self.lt)
            case 0x3E: out.append(contentsOf: Self.gt)
            case 0x26: out.append(contentsOf: Self.amp)
            case 0x22: out.append(contentsOf: Self.quot)
            default: out.append(contentsOf: Self.apos)
            }
        case .html(let scalars):
            for scalar in scalars { emitCharacterReference(scalar) }
        case .unknown(let name):
            out.append(contentsOf: Self.amp)  // literal "&name;"
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[name]))
            out.append(0x3B)
        case .stray:
            out.append(contentsOf: Self.amp)
        }
        return next
    }

    /// Writes the characters of the reference at the `&` at `i` (as libxml2 reports the
    /// rewritten reference); the index after it.
    private mutating func decodeReference(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let (reference, next) = Self.reference(b, at: i)
        switch reference {
        case .numeric(let scalar):
            emit(scalar: scalar)
        case .predefined(let character):
            out.append(character)
        case .html(let scalars):
            for scalar in scalars { emit(scalar: scalar) }
        case .unknown(let name):
            out.append(0x26)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[name]))
            out.append(0x3B)
        case .stray:
            out.append(0x26)
        }
        return next
    }

    /// The structured pass: steps over markup, hands element text to `text`, and gives the
    /// rest of the document to `inPlace` from the first construct it does not recognise.
    /// `table` maps bytes 0x80–0xFF of a single-byte encoding; without it, bytes ≥ 0x80 are
    /// UTF-8 (validated when `validateUTF8`) or left to libxml2.
    private mutating func rewrite(_ b: UnsafeBufferPointer<UInt8>, table: [UInt32]?, validateUTF8: Bool) {
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
                let sent = markup.isPlain || markup.isCDATA && depth > 0
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
    private static func index(of byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = b.baseAddress, start < b.count else { return b.count }
        guard let found = memchr(base + start, Int32(byte), b.count - start) else { return b.count }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// Element text from `start` to `end` (the next `<`). Plain ASCII stays as it is (libxml2
    /// reads it fast); anything else goes to the channel as its characters, unless it holds
    /// `]]>` (rewritten in place then: libxml2 reports that as an error).
    private mutating func text(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, table: [UInt32]?) {
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
    private static func containsCDATAEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
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
    private mutating func section(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, table: [UInt32]?) -> Bool {
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

    private static let doctypeOpening: [UInt8] = Array("<!DOCTYPE".utf8)

    /// Rewrites the bytes from `start` to `end` in place: references as character references,
    /// bad bytes repaired, CDATA sections and comments left as they are.
    private mutating func inPlace(
        _ b: UnsafeBufferPointer<UInt8>, from start: Int, to n: Int, table: [UInt32]?, validateUTF8: Bool
    ) {
        var i = start
        while i < n {
            // The bytes pending for libxml2 are those in `out` and the run not yet copied: one
            // block of them goes out at a time, so memory stays flat whatever the lines.
            if blockIsFull(i) { copyRun(b, upTo: i); flush() }
            let limit = min(n, i + blockSize)
            // Straight to the next byte that is not ordinary (a control byte, '&', '!' or a byte
            // >= 0x80). A '<' matters only when "<!" opens a CDATA section or a comment, so the
            // loop stops at the '!' and looks back, not at every tag of the document.
            i = ByteScan.skip(b, from: i, to: limit) {
                ByteScan.flagsHigh($0) | ByteScan.flagsLess($0, than: 0x20) | ByteScan.flagsEqual($0, 0x26)
                    | ByteScan.flagsEqual($0, 0x21)
            }
            guard i < n else { break }
            let c = b[i]
            if c >= 0x20 && c != 0x26 && c != 0x3C && c != 0x21 && c < 0x80 {
                i += 1
                continue
            }
            var section: Int?  // the end of the CDATA section or comment starting at i
            if c == 0x21 {
                // '!': "<!" opens a section at the '<' the loop above went past.
                // (The '<' may already be copied, when a block was flushed between the two.)
                if i > 0, b[i - 1] == 0x3C, let end = Self.opaqueSectionEnd(b, at: i - 1) {
                    i -= 1
                    section = end
                } else {
                    i += 1
                    continue
                }
            }
            if c == 0x3C || section != nil {  // '<': skip CDATA sections and comments whole
                if let end = section ?? Self.opaqueSectionEnd(b, at: i) {
                    if table == nil && !validateUTF8 {
                        i = end
                    } else {
                        // Still transcode / repair the bytes inside.
                        copyRun(b, upTo: i)
                        var j = i
                        while j < end {
                            // Valid bytes stay in the run: nothing to copy apart.
                            j = Self.firstToTranscode(b, from: j, to: end, utf8: table == nil)
                            guard j < end else { break }
                            copyRun(b, upTo: j)
                            j = transcode(b, at: j, table: table)
                            run = j
                        }
                        i = end
                    }
                    continue
                }
                i += 1
                continue
            }
            if c == 0x26 {  // '&'
                copyRun(b, upTo: i)
                i = rewriteReference(b, at: i)
                run = i
                continue
            }
            if c < 0x20 {
                if c == 0x09 || c == 0x0A || c == 0x0D {
                    i += 1
                    continue
                }
                copyRun(b, upTo: i)
                out.append(0x20)
                i += 1
                run = i
                continue
            }
            // c >= 0x80
            if table == nil && !validateUTF8 {
                i += 1
                continue
            }
            if table == nil, let length = Self.utf8Length(b, at: i) {
                i += length
                continue
            }
            copyRun(b, upTo: i)
            i = transcode(b, at: i, table: table)
            run = i
        }
    }

    /// The index of the first byte from `start` on that must be transcoded (any byte ≥ 0x80 of
    /// a single-byte encoding; in UTF-8, one that begins no valid sequence), or `end`. A valid
    /// sequence that starts before `end` is stepped over whole, even when it ends after it.
    private static func firstToTranscode(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, utf8: Bool) -> Int {
        var i = start
        while i < end {
            i = ByteScan.skip(b, from: i, to: end) { ByteScan.flagsHigh($0) }
            guard i < end else { break }
            if b[i] < 0x80 {
                i += 1
                continue
            }
            guard utf8, let length = utf8Length(b, at: i) else { return i }
            i += length
        }
        return max(i, end)
    }

    /// Writes the character at `i` (a byte ≥ 0x80 not valid as UTF-8, or a single-byte
    /// encoding's byte) as UTF-8; returns the next index.
    private mutating func transcode(_ b: UnsafeBufferPointer<UInt8>, at i: Int, table: [UInt32]?) -> Int {
        if let table {
            emit(scalar: table[Int(b[i]) - 0x80])
            return i + 1
        }
        if let length = Self.validUTF8Length(b, at: i) {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<(i + length)]))
            return i + length
        }
        emit(scalar: Self.windows1252[Int(b[i]) - 0x80])
        return i + 1
    }

    /// The index just past `]]>` or `-->` when `<` at `i` opens a CDATA section or a comment.
    private static func opaqueSectionEnd(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = b.count
        guard i + 3 < n, b[i + 1] == 0x21 else { return nil }  // "<!"
        if b[i + 2] == 0x2D, b[i + 3] == 0x2D {  // "<!--"
            var j = i + 4
            while j + 2 < n {
                if b[j] == 0x2D, b[j + 1] == 0x2D, b[j + 2] == 0x3E { return j + 3 }
                j += 1
            }
            return n
        }
        let cdata = Self.cdataOpening
        guard i + cdata.count <= n else { return nil }
        for k in 0..<cdata.count where b[i + k] != cdata[k] { return nil }
        var j = i + cdata.count
        while j + 2 < n {
            if let base = b.baseAddress, j + 8 <= n, !ByteScan.has(ByteScan.load(base + j), 0x5D) {
                j += 8  // no ']' among these eight: no "]]>" starts here
                continue
            }
            if b[j] == 0x5D, b[j + 1] == 0x5D, b[j + 2] == 0x3E { return j + 3 }
            j += 1
        }
        return n
    }

    private static let cdataOpening: [UInt8] = Array("<![CDATA[".utf8)

    /// `validUTF8Length` with its most frequent case inline: a two-byte sequence (é, à, ç and
    /// the rest of Latin-1), without a call per accented letter.
    @inline(__always)
    static func utf8Length(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let c = b[i]
        if c >= 0xC2, c <= 0xDF, i + 1 < b.count, b[i + 1] & 0xC0 == 0x80 { return 2 }
        return validUTF8Length(b, at: i)
    }

    /// The length of the valid UTF-8 sequence at `i` that is also an XML character, else `nil`.
    static func validUTF8Length(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = b.count
        let c = b[i]
        @inline(__always) func cont(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            k < n && b[k] >= low && b[k] <= high
        }
        switch c {
        case 0xC2...0xDF:
            return cont(i + 1) ? 2 : nil
        case 0xE0:
            return cont(i + 1, 0xA0) && cont(i + 2) ? 3 : nil
        case 0xED:
            return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : nil
        case 0xEF:
            // U+FFFE and U+FFFF are not XML characters.
            guard cont(i + 1), cont(i + 2) else { return nil }
            if b[i + 1] == 0xBF, b[i + 2] >= 0xBE { return nil }
            return 3
        case 0xE1...0xEC, 0xEE:
            return cont(i + 1) && cont(i + 2) ? 3 : nil
        case 0xF0:
            return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : nil
        case 0xF1...0xF3:
            return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : nil
        case 0xF4:
            return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : nil
        default:
            return nil
        }
    }

    private static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x3A
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        isNameStart(c) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E
    }

    private static func xmlAllowed(_ v: UInt32) -> Bool {
        v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD)
            || (v >= 0x10000 && v <= 0x10FFFF)
    }

    /// `&#146;` means the windows-1252 apostrophe in every feed that writes it.
    private static func c1Repaired(_ v: UInt32) -> UInt32 {
        v >= 0x80 && v <= 0x9F ? windows1252[Int(v) - 0x80] : v
    }

    /// Bytes 0x80–0xFF of windows-1252 (the five undefined bytes keep their C1 code point).
    static let windows1252: [UInt32] = {
        let c1: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D, 0x17D, 0x8F,
            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178,
        ]
        return c1 + (0xA0...0xFF).map { UInt32($0) }
    }()

    /// Bytes 0x80–0xFF of ISO-8859-15.
    static let latin9: [UInt32] = {
        var table = (0x80...0xFF).map { UInt32($0) }
        for (byte, scalar) in [(0xA4, 0x20AC), (0xA6, 0x160), (0xA8, 0x161), (0xB4, 0x17D), (0xB8, 0x17E),
                               (0xBC, 0x152), (0xBD, 0x153), (0xBE, 0x178)] {
            table[byte - 0x80] = UInt32(scalar)
        }
        return table
    }()

    /// `input` converted from the encoding `name` to UTF-8 by iconv; a byte iconv cannot
    /// convert becomes U+FFFD and conversion goes on after it (an incomplete sequence at the
    /// end too). `nil` when iconv does not know `name`.
    private static func utf8(from input: UnsafeBufferPointer<UInt8>, iconvName name: String) -> [UInt8]? {
        let opened = iconv_open("UTF-8", name)
        guard let converter = opened, converter != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var result: [UInt8] = []
        result.reserveCapacity(input.count + input.count / 2 + 16)
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        let block = UnsafeMutableBufferPointer<CChar>.allocate(capacity: 64 * 1024)
        defer { block.deallocate() }
        /// Appends what the last call wrote to `block`.
        func take(_ left: Int) {
            result.append(contentsOf: UnsafeRawBufferPointer(start: block.baseAddress, count: block.count - left))
        }
        input.withMemoryRebound(to: CChar.self) { chars in
            var next = UnsafeMutablePointer(mutating: chars.baseAddress)
            var inLeft = chars.count
            while inLeft > 0 {
                var out = block.baseAddress
                var outLeft = block.count
                let status = iconv(converter, &next, &inLeft, &out, &outLeft)
                let failure = status == -1 ? errno : 0
                take(outLeft)
                switch failure {
                case 0, E2BIG:
                    continue
                case EILSEQ:
                    result.append(contentsOf: replacement)
                    next = next.map { $0 + 1 }
                    inLeft -= 1
                default:  // EINVAL: an incomplete sequence ends the input
                    result.append(contentsOf: replacement)
                    inLeft = 0
                }
            }
        }
        var out = block.baseAddress
        var outLeft = block.count
        _ = iconv(converter, nil, nil, &out, &outLeft)  // back to the initial shift state
        take(outLeft)
        return result
    }

    private static func utf8(fromUTF16 b: UnsafeBufferPointer<UInt8>, littleEndian: Bool) -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(b.count / 2)
        var i = 0
        while i + 1 < b.count {
            units.append(littleEndian ? UInt16(b[i]) | UInt16(b[i + 1]) << 8 : UInt16(b[i]) << 8 | UInt16(b[i + 1]))
            i += 2
        }
        // Unpaired surrogates become U+FFFD rather than losing the document.
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
