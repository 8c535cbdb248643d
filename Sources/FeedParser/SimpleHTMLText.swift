import CLibXML2

/// HTML→text in one pass over the bytes, for the fragments most feeds carry (paragraphs,
/// lists, links, emphasis, entities), giving exactly what `HTMLTextConverter`'s libxml2 path
/// gives; anything it cannot be sure of makes it give up, and the caller asks libxml2.
///
/// Why exact: the output must not depend on which path ran (tests compare both on every
/// fixture and on generated fragments). So the pass mirrors libxml2 2.9's HTML parser for a
/// closed list of tags: a start tag first closes the open elements libxml2 would close
/// (`htmlAutoCloseTag`, asked of libxml2 itself once per tag pair), elements libxml2 knows as
/// empty end at once, an end tag closes what libxml2's end priorities let it close (a stray
/// one is ignored), and only the entities libxml2 knows (`htmlEntityLookup`) are decoded.
/// It gives up on comments, `<!`/`<?`, `script`/`style` and the other dropped elements, any
/// tag outside the list, an unterminated or odd tag, an unknown entity or a bare `&`, control
/// characters, and an end tag that would close the fragment's wrapper.
///
/// The fragment must be valid UTF-8, which every caller's is: text reported by libxml2's XML
/// parser (given valid UTF-8 by `SourceText`, or converting itself) or a Swift string. So bytes
/// ≥ 0x80 are text like any letter, without a second validation.
enum SimpleHTMLText {
    /// One tag the fast path handles, as libxml2's HTML parser treats it.
    struct Tag: Sendable {
        let name: [UInt8]
        /// As `HTMLTag.breakKind`: 0 inline, 1 line break, 2 paragraph break.
        let breakKind: Int
        /// libxml2 ends the element right after its start tag (`br`, `img`, `hr`).
        let isEmpty: Bool
        /// libxml2's `htmlEndPriority`: an end tag cannot close past a higher priority.
        let endPriority: Int
        /// Bit k set: this start tag implicitly closes an open `tags[k]` (`<li>` closes `li`).
        var closes: UInt64
    }

    /// The tags handled (at most 64: `closes` is a bit set). Dropped elements (`script`,
    /// `style`, …) and document elements (`html`, `head`, `body`) are deliberately absent.
    static let names: [String] = [
        "p", "br", "a", "b", "i", "em", "strong", "u", "s", "span", "div", "ul", "ol", "li",
        "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "img", "figure", "figcaption",
        "table", "caption", "tr", "td", "th", "thead", "tbody", "tfoot", "code", "pre", "sup",
        "sub", "small", "big", "hr", "dl", "dt", "dd", "cite", "abbr", "q", "del", "ins", "mark",
        "section", "article", "header", "footer", "nav", "aside", "main", "address", "center",
        "font", "strike", "tt", "kbd", "samp", "time",
    ]

    /// Tags whose start closes an open element of the same name in libxml2 2.9's table.
    private static let closesItself: Set<String> = ["a", "li", "p", "tbody", "td", "th", "tr"]

    /// The table, built once from libxml2's own answers.
    static let tags: [Tag] = {
        LibXML2.initialize()
        var tags: [Tag] = names.map { name in
            var bytes = Array(name.utf8)
            bytes.append(0)
            let info = bytes.withUnsafeBufferPointer { htmlTagLookup($0.baseAddress) }
            bytes.removeLast()
            let priority: Int
            switch name {
            case "div": priority = 150
            case "td", "th": priority = 160
            case "tr": priority = 170
            case "thead", "tbody", "tfoot": priority = 180
            case "table": priority = 190
            default: priority = 100
            }
            return Tag(
                name: bytes, breakKind: HTMLTag(name).breakKind, isEmpty: (info?.pointee.empty ?? 0) != 0,
                endPriority: priority, closes: 0)
        }
        // htmlAutoCloseTag(doc, old, node named new) is libxml2's htmlCheckAutoClose(new, old):
        // "does a start tag `new` close an open `old`". It answers 0 for a tag and itself, so
        // those pairs come from libxml2's htmlStartClose table (`<li>` closes an open `li`).
        for (j, new) in names.enumerated() {
            guard let node = xmlNewNode(nil, new) else { continue }
            defer { xmlFreeNode(node) }
            for (k, open) in names.enumerated() {
                let closes = open == new ? closesItself.contains(new) : htmlAutoCloseTag(nil, open, node) == 1
                if closes { tags[j].closes |= 1 << UInt64(k) }
            }
        }
        return tags
    }()

    /// Tag names packed into a word (first 7 bytes and the length) → index in `tags`, as an
    /// open-addressing table of `slotCount` slots (a tag name is looked up at every tag of every
    /// fragment: a multiplication and a probe or two, no hashing of a dictionary key).
    static let index: (keys: [UInt64], values: [Int]) = {
        var keys = [UInt64](repeating: 0, count: slotCount)
        var values = [Int](repeating: -1, count: slotCount)
        for (k, tag) in tags.enumerated() {
            let key = tag.name.withUnsafeBufferPointer { Self.key($0) }
            var slot = Self.slot(key)
            while values[slot] >= 0 { slot = (slot + 1) & (slotCount - 1) }
            keys[slot] = key
            values[slot] = k
        }
        return (keys, values)
    }()

    /// A power of two, at least twice the number of tags.
    private static let slotCount = 256

    @inline(__always)
    private static func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 56) }

    static let divIndex = names.firstIndex(of: "div")!

    @inline(__always)
    private static func key(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var key = UInt64(name.count) << 56
        for k in 0..<min(7, name.count) { key |= UInt64(name[k] | 0x20) << UInt64(8 * k) }
        return key
    }

    /// The index of the (case-folded) tag name, or `nil` when it is not handled.
    private static func lookup(_ name: UnsafeBufferPointer<UInt8>) -> Int? {
        let packed = key(name)
        let (keys, values) = index
        var slot = slot(packed)
        while values[slot] >= 0, keys[slot] != packed { slot = (slot + 1) & (slotCount - 1) }
        let k = values[slot]
        guard k >= 0 else { return nil }
        let known = tags[k].name
        guard known.count == name.count else { return nil }
        for j in 0..<name.count where known[j] != (name[j] | 0x20) { return nil }
        return k
    }

    /// Appends the text of `html` to `text`; `false` when the fragment needs libxml2 (then
    /// `text` holds garbage and must be reset). `stack` is scratch space, reused between calls.
    static func convert(_ b: UnsafeBufferPointer<UInt8>, into text: inout TextAccumulator, stack: inout [Int]) -> Bool {
        let tags = self.tags
        stack.removeAll(keepingCapacity: true)
        stack.append(divIndex)  // the <div> libxml2's path wraps every fragment in
        let n = b.count
        var i = 0
        var run = 0
        @inline(__always) func breakFor(_ k: Int) {
            switch tags[k].breakKind {
            case 2: text.paragraphBreak()
            case 1: text.lineBreak()
            default: break
            }
        }
        while i < n {
            // Straight to the next '<', '&' or control byte (UTF-8 is text like any letter).
            i = ByteScan.skip(b, from: i, to: n) {
                ByteScan.flagsLess($0, than: 0x20) | ByteScan.flagsEqual($0, 0x3C) | ByteScan.flagsEqual($0, 0x26)
            }
            guard i < n else { break }
            let c = b[i]
            if c != 0x3C && c != 0x26 {
                if c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D { return false }
                i += 1
                continue
            }
            if i > run { text.append(UnsafeBufferPointer(rebasing: b[run..<i])) }
            if c == 0x26 {
                guard let next = entity(b, at: i, into: &text) else { return false }
                i = next
                run = i
                continue
            }
            // '<'
            guard i + 1 < n else { return false }
            if b[i + 1] == 0x2F {  // "</"
                var j = i + 2
                guard j < n, isLetter(b[j]) else { return false }
                let nameStart = j
                while j < n, isNameByte(b[j]) { j += 1 }
                guard let k = lookup(UnsafeBufferPointer(rebasing: b[nameStart..<j])), !tags[k].isEmpty else {
                    return false
                }
                while j < n, isBlank(b[j]) { j += 1 }
                guard j < n, b[j] == 0x3E else { return false }
                i = j + 1
                run = i
                // Find the open element; a higher priority on the way, or none: ignored.
                var depth = stack.count - 1
                while depth >= 0 {
                    if stack[depth] == k { break }
                    if tags[stack[depth]].endPriority > tags[k].endPriority { depth = -1; break }
                    depth -= 1
                }
                if depth < 0 { continue }
                if depth == 0 { return false }  // would close the wrapper: libxml2 then implies <p>s
                while stack.count > depth { breakFor(stack.removeLast()) }
                continue
            }
            guard isLetter(b[i + 1]) else { return false }
            var j = i + 1
            while j < n, isNameByte(b[j]) { j += 1 }
            guard let k = lookup(UnsafeBufferPointer(rebasing: b[(i + 1)..<j])) else { return false }
            guard let (end, selfClosing) = skipAttributes(b, from: j) else { return false }
            i = end
            run = i
            while let open = stack.last, tags[k].closes & (1 << UInt64(open)) != 0 {
                if stack.count == 1 { return false }
                stack.removeLast()
                breakFor(open)
            }
            breakFor(k)
            if selfClosing || tags[k].isEmpty {
                breakFor(k)
            } else {
                guard stack.count < 200 else { return false }
                stack.append(k)
            }
        }
        if n > run { text.append(UnsafeBufferPointer(rebasing: b[run..<n])) }
        return true
    }

    /// Skips a start tag's attributes from just after its name; returns the index after `>`
    /// and whether it ended with `/>`, or `nil` for anything libxml2 might read differently.
    private static func skipAttributes(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int, Bool)? {
        let n = b.count
        var j = start
        guard j < n, isBlank(b[j]) || b[j] == 0x3E || b[j] == 0x2F else { return nil }
        while true {
            while j < n, isBlank(b[j]) { j += 1 }
            guard j < n else { return nil }
            if b[j] == 0x3E { return (j + 1, false) }
            if b[j] == 0x2F {
                guard j + 1 < n, b[j + 1] == 0x3E else { return nil }
                return (j + 2, true)
            }
            // An attribute: name [= value]
            guard isLetter(b[j]) || b[j] == 0x5F || b[j] == 0x3A else { return nil }
            let nameStart = j
            while j < n, isNameByte(b[j]) { j += 1 }
            guard j - nameStart < 90 else { return nil }
            while j < n, isBlank(b[j]) { j += 1 }
            guard j < n else { return nil }
            guard b[j] == 0x3D else { continue }  // '='
            j += 1
            while j < n, isBlank(b[j]) { j += 1 }
            guard j < n else { return nil }
            let quote = b[j]
            if quote == 0x22 || quote == 0x27 {
                j += 1
                while j < n, b[j] != quote {
                    if b[j] == 0 { return nil }
                    j += 1
                }
                guard j < n else { return nil }
                j += 1
            } else {
                let valueStart = j
                while j < n, !isBlank(b[j]), b[j] != 0x3E {
                    let d = b[j]
                    if d < 0x20 || d == 0x22 || d == 0x27 || d == 0x3C || d == 0x60 || d == 0x3D { return nil }
                    j += 1
                }
                guard j > valueStart else { return nil }
            }
        }
    }

    /// Decodes the reference at `&` (index `i`) into `text`; the index after it, or `nil`
    /// when libxml2 might read it otherwise (unknown name, no `;`, invalid code point).
    private static func entity(_ b: UnsafeBufferPointer<UInt8>, at i: Int, into text: inout TextAccumulator) -> Int? {
        let n = b.count
        var j = i + 1
        var value: UInt32 = 0
        if j < n, b[j] == 0x23 {  // &#
            // (Seven digits: where libxml2's HTML parser stops reading one.)
            guard let (found, next) = SourceText.numericReference(b, at: i, maximumDigits: 7) else { return nil }
            value = found
            j = next - 1
            let isChar =
                value == 0x9 || value == 0xA || value == 0xD || (value >= 0x20 && value <= 0xD7FF)
                || (value >= 0xE000 && value <= 0xFFFD) || (value >= 0x10000 && value <= 0x10FFFF)
            guard isChar else { return nil }
        } else {
            guard j < n, isLetter(b[j]) else { return nil }
            while j < n, j - i < 32, isLetter(b[j]) || (b[j] >= 0x30 && b[j] <= 0x39) { j += 1 }
            guard j < n, b[j] == 0x3B else { return nil }
            let found = HTMLEntities.html4(UnsafeBufferPointer(rebasing: b[(i + 1)..<j]))
            guard let found, found > 0 else { return nil }
            value = found
        }
        var utf8: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let count: Int
        switch value {
        case 0..<0x80:
            utf8.0 = UInt8(value); count = 1
        case 0x80..<0x800:
            utf8.0 = UInt8(0xC0 | (value >> 6)); utf8.1 = UInt8(0x80 | (value & 0x3F)); count = 2
        case 0x800..<0x10000:
            utf8.0 = UInt8(0xE0 | (value >> 12)); utf8.1 = UInt8(0x80 | ((value >> 6) & 0x3F))
            utf8.2 = UInt8(0x80 | (value & 0x3F)); count = 3
        default:
            utf8.0 = UInt8(0xF0 | (value >> 18)); utf8.1 = UInt8(0x80 | ((value >> 12) & 0x3F))
            utf8.2 = UInt8(0x80 | ((value >> 6) & 0x3F)); utf8.3 = UInt8(0x80 | (value & 0x3F)); count = 4
        }
        withUnsafeBytes(of: &utf8) { raw in
            text.append(UnsafeBufferPointer(start: raw.bindMemory(to: UInt8.self).baseAddress, count: count))
        }
        return j + 1
    }

    @inline(__always) private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

    /// libxml2's HTML name characters: letters, digits, `:`, `-`, `_`, `.`.
    @inline(__always) private static func isNameByte(_ c: UInt8) -> Bool {
        isLetter(c) || (c >= 0x30 && c <= 0x39) || c == 0x3A || c == 0x2D || c == 0x5F || c == 0x2E
    }

    @inline(__always) private static func isBlank(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
    }
}
