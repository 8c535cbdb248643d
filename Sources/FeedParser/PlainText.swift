import CLibXML2
import Foundation

/// Builds plain text the way a reader expects it: runs of whitespace (and no-break spaces)
/// collapse to one space, lines are trimmed, block boundaries become a line break (one blank
/// line at most between paragraphs), nothing leads or trails.
struct TextAccumulator {
    private var bytes: [UInt8] = []
    private var pendingSpace = false
    /// Line breaks asked for since the last text (0, 1 = new line, 2 = blank line).
    private var pendingBreaks = 0

    init() {}

    var isEmpty: Bool { bytes.isEmpty }

    /// The bytes of text so far.
    var count: Int { bytes.count }

    /// Appends text; whitespace in it is collapsed.
    mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = text.count
        while i < n {
            let c = text[i]
            if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C {
                pendingSpace = true
                i += 1
                continue
            }
            if c == 0xC2, i + 1 < n, text[i + 1] == 0xA0 {  // U+00A0
                pendingSpace = true
                i += 2
                continue
            }
            if !bytes.isEmpty {
                if pendingBreaks > 0 {
                    bytes.append(0x0A)
                    if pendingBreaks > 1 { bytes.append(0x0A) }
                } else if pendingSpace {
                    bytes.append(0x20)
                }
            }
            pendingBreaks = 0
            pendingSpace = false
            // Copy the run in one go: words and the single spaces between them are already
            // what the output wants; any other whitespace ends the run.
            var j = i + 1
            while j < n {
                if let base = text.baseAddress {
                    // Eight bytes at a time while they hold no control byte, no 0xC2 and no space
                    // followed by another space (nor a space last, whose follower is unknown):
                    // then every space among them is a single one between words, kept as is.
                    while j + 8 <= n {
                        let word = ByteScan.load(base + j)
                        if ByteScan.hasLess(word, than: 0x20) || ByteScan.has(word, 0xC2) { break }
                        let spaces = ByteScan.matches(word, 0x20)
                        if spaces & (spaces >> 8) != 0 || spaces >> 63 != 0 { break }
                        j += 8
                    }
                    guard j < n else { break }
                }
                let d = text[j]
                if d == 0x20 {
                    if j + 1 < n, !Self.startsWhitespace(text[j + 1]) {
                        j += 2
                        continue
                    }
                    break
                }
                if d == 0x0A || d == 0x09 || d == 0x0D || d == 0x0C || d == 0xC2 { break }
                j += 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[i..<j]))
            i = j
        }
    }

    /// A byte that may begin whitespace: ASCII space, tab, line feed, carriage return, form
    /// feed, or 0xC2 (the lead byte of U+00A0, and of other Latin-1 characters).
    @inline(__always)
    private static func startsWhitespace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C || c == 0xC2
    }

    /// Empties the text, keeping its storage for the next one.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        pendingSpace = false
        pendingBreaks = 0
    }

    /// Appends a Swift string.
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Ends the current line (`<br>`, `<li>`, `<div>`).
    mutating func lineBreak() { pendingBreaks = max(pendingBreaks, 1) }

    /// Ends the current paragraph (`<p>`, headings, lists).
    mutating func paragraphBreak() { pendingBreaks = 2 }

    /// The text, or `nil` when there is none.
    func result() -> String? {
        bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}

/// HTML fragments (RSS descriptions, `content:encoded`, Atom `type="html"`) to plain text,
/// through libxml2's HTML parser in SAX mode: tags stripped, entities decoded, block elements
/// turned into line breaks, `script`/`style` dropped. One instance reuses one parser context
/// for every fragment of a document.
final class HTMLTextConverter {
    private var context: htmlParserCtxtPtr?
    fileprivate var text = TextAccumulator()
    fileprivate var skipDepth = 0
    private var wrapped: [UInt8] = []
    /// Scratch stack of `SimpleHTMLText`, kept between fragments.
    private var openTags: [Int] = []
    private static let open = Array("<div>".utf8)
    private static let close = Array("</div>".utf8)
    /// libxml2 interns element names in the context's dictionary: one lookup per distinct name.
    fileprivate var tags: [UnsafeRawPointer: HTMLTag] = [:]

    init() {
        LibXML2.initialize()
        context = htmlNewParserCtxt()
        guard let context, let sax = context.pointee.sax else { return }
        // Replace the tree-building handler by ours: events only, no document.
        sax.pointee = htmlSAXHandler()
        sax.pointee.initialized = UInt32(XML_SAX2_MAGIC)
        sax.pointee.startElement = { ctx, name, _ in
            guard let converter = HTMLTextConverter.from(ctx), let name else { return }
            converter.start(name)
        }
        sax.pointee.endElement = { ctx, name in
            guard let converter = HTMLTextConverter.from(ctx), let name else { return }
            converter.end(name)
        }
        sax.pointee.characters = { ctx, bytes, length in
            guard let converter = HTMLTextConverter.from(ctx), let bytes, length > 0, converter.skipDepth == 0 else {
                return
            }
            converter.text.append(UnsafeBufferPointer(start: bytes, count: Int(length)))
        }
        sax.pointee.ignorableWhitespace = sax.pointee.characters
        sax.pointee.serror = { _, _ in }
    }

    deinit {
        if let context { htmlFreeParserCtxt(context) }
    }

    fileprivate static func from(_ ctx: UnsafeMutableRawPointer?) -> HTMLTextConverter? {
        guard let ctx else { return nil }
        let parser = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let me = parser.pointee._private else { return nil }
        return Unmanaged<HTMLTextConverter>.fromOpaque(me).takeUnretainedValue()
    }

    /// The plain text of an HTML fragment given as UTF-8; `nil` when it has no text.
    func plainText(html: UnsafeBufferPointer<UInt8>) -> String? {
        text.reset()
        skipDepth = 0
        // Plain text needs no parser: the common case of titles and short summaries.
        if !html.contains(0x3C) && !html.contains(0x26) {
            text.append(html)
            return text.result()
        }
        // Most markup in feeds is simple enough for a byte scan; libxml2 for the rest.
        if SimpleHTMLText.convert(html, into: &text, stack: &openTags) { return text.result() }
        return parsedPlainText(html: html)
    }

    /// The plain text of an HTML fragment through libxml2's HTML parser, whatever the fragment
    /// (`plainText` uses it when `SimpleHTMLText` gives up; tests compare the two).
    func parsedPlainText(html: UnsafeBufferPointer<UInt8>) -> String? {
        text.reset()
        skipDepth = 0
        guard let context, html.count < Int(Int32.max) - 16 else { return nil }
        // Inside a <div>: text at the top level would otherwise get an implied <p> from
        // libxml2 (a paragraph break in the middle of "<b>Bold</b> & co").
        wrapped.removeAll(keepingCapacity: true)
        wrapped.append(contentsOf: HTMLTextConverter.open)
        wrapped.append(contentsOf: html)
        wrapped.append(contentsOf: HTMLTextConverter.close)
        htmlCtxtReset(context)
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        let options =
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NOIMPLIED.rawValue | HTML_PARSE_NODEFDTD.rawValue
            | HTML_PARSE_IGNORE_ENC.rawValue
        wrapped.withUnsafeBytes { raw in
            let chars = raw.bindMemory(to: CChar.self)
            let document = htmlCtxtReadMemory(
                context, chars.baseAddress, Int32(chars.count), nil, "UTF-8", Int32(bitPattern: options))
            if let document { xmlFreeDoc(document) }
        }
        context.pointee._private = nil
        return text.result()
    }

    /// The plain text of an HTML fragment held in a string.
    func plainText(html: String) -> String? {
        var html = html
        return html.withUTF8 { plainText(html: $0) }
    }

    private func tag(_ name: UnsafePointer<UInt8>) -> HTMLTag {
        if let known = tags[UnsafeRawPointer(name)] { return known }
        let tag = HTMLTag(name)
        tags[UnsafeRawPointer(name)] = tag
        return tag
    }

    private func start(_ name: UnsafePointer<UInt8>) {
        let tag = tag(name)
        if skipDepth > 0 {
            if !tag.isVoid { skipDepth += 1 }
            return
        }
        if tag.isSkipped {
            skipDepth = 1
            return
        }
        switch tag.breakKind {
        case 2: text.paragraphBreak()
        case 1: text.lineBreak()
        default: break
        }
    }

    private func end(_ name: UnsafePointer<UInt8>) {
        let tag = tag(name)
        if skipDepth > 0 {
            if !tag.isVoid { skipDepth -= 1 }
            return
        }
        switch tag.breakKind {
        case 2: text.paragraphBreak()
        case 1: text.lineBreak()
        default: break
        }
    }
}

/// What a tag means for plain text.
struct HTMLTag {
    /// 0: inline, 1: line break, 2: paragraph break.
    let breakKind: Int
    /// Content dropped (`script`, `style`, …).
    let isSkipped: Bool
    /// Has no end tag.
    let isVoid: Bool

    init(_ name: UnsafePointer<UInt8>) {
        self.init(String(cString: name).lowercased())
    }

    init(_ name: String) {
        breakKind = HTMLTag.paragraphs.contains(name) ? 2 : HTMLTag.lines.contains(name) ? 1 : 0
        isSkipped = HTMLTag.skipped.contains(name)
        isVoid = HTMLTag.voids.contains(name)
    }

    static let paragraphs: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl", "table",
        "hr", "section", "article", "figure", "address", "aside", "header", "footer", "main", "nav",
        "details", "fieldset", "form",
    ]
    static let lines: Set<String> = [
        "br", "li", "div", "tr", "dt", "dd", "figcaption", "caption", "summary", "thead", "tbody",
        "tfoot", "option", "legend",
    ]
    static let skipped: Set<String> = [
        "script", "style", "template", "head", "title", "noscript", "select", "svg", "math",
    ]
    static let voids: Set<String> = [
        "br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param", "source",
        "track", "wbr",
    ]
}
