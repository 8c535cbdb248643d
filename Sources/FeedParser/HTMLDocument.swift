import CLibXML2
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One HTML page parsed by libxml2's HTML parser into a tree, for XPath queries and text.
///
/// The parser recovers from any markup (as browsers do), never touches the network, and
/// reports nothing on stderr. The tree is owned here and freed in `deinit`; nodes never leave
/// this module (callers get Swift values). Not thread-safe: one document per task.
final class HTMLDocument {
    typealias Node = UnsafeMutablePointer<xmlNode>

    private let document: htmlDocPtr
    private let context: xmlXPathContextPtr
    /// The page's URL after `<base href>`: what relative links resolve against.
    let baseURL: String?

    /// Parses `data`. `charset` (from the HTTP `Content-Type`) wins over the page's `<meta>`.
    ///
    /// - Throws: `FeedParseError.malformed` when libxml2 builds no tree at all.
    init(_ data: Data, url: URL?, charset: String?) throws {
        xmlInitParser()
        cxml_silence_global_errors()
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        func read(_ encoding: String?) -> htmlDocPtr? {
            data.withUnsafeBytes { raw -> htmlDocPtr? in
                guard let base = raw.baseAddress, raw.count > 0 else { return nil }
                return htmlReadMemory(
                    base.assumingMemoryBound(to: CChar.self), Int32(clamping: raw.count), url?.absoluteString,
                    encoding, options)
            }
        }
        // An unknown charset name makes libxml2 refuse the document: read it from its own <meta>.
        guard let document = read(charset.flatMap(Self.libxml2Charset)) ?? read(nil) else {
            throw FeedParseError.page(.noHTML)
        }
        guard let context = xmlXPathNewContext(document) else {
            xmlFreeDoc(document)
            throw FeedParseError.page(.noXPathContext)
        }
        self.document = document
        self.context = context
        var base = url?.absoluteString
        if let root = xmlDocGetRootElement(document),
            let baseElement = Self.firstElement(named: "base", under: root, limit: 2000),
            let href = Self.attribute(baseElement, "href").flatMap(URLResolver.trimmed)
        {
            base = URLResolver.resolve(href, against: base)
        }
        self.baseURL = base
    }

    deinit {
        xmlXPathFreeContext(context)
        xmlFreeDoc(document)
    }

    /// A charset libxml2 is asked to read with: what the HTTP header names, when it is not the
    /// page's business (UTF-8 and Latin-1 family names pass through; anything odd is dropped).
    private static func libxml2Charset(_ name: String) -> String? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The root element (`<html>`), when there is one.
    var root: Node? { xmlDocGetRootElement(document) }

    /// The text of `<title>`, whitespace collapsed.
    var title: String? {
        guard let root, let title = Self.firstElement(named: "title", under: root, limit: 5000) else { return nil }
        let text = Self.text(of: title)
        return text.isEmpty ? nil : text
    }

    // MARK: XPath

    /// What an XPath expression gave.
    enum Value {
        case nodes([Node])
        case string(String)
        case number(Double)
        case boolean(Bool)
    }

    /// Evaluates a compiled expression with `node` as the context node (the document when nil).
    func evaluate(_ expression: XPathExpression, at node: Node? = nil) -> Value {
        context.pointee.node = node ?? UnsafeMutableRawPointer(document).assumingMemoryBound(to: xmlNode.self)
        guard let object = xmlXPathCompiledEval(expression.compiled, context) else { return .nodes([]) }
        defer { xmlXPathFreeObject(object) }
        switch object.pointee.type {
        case XPATH_NODESET:
            guard let set = object.pointee.nodesetval, set.pointee.nodeNr > 0, let table = set.pointee.nodeTab else {
                return .nodes([])
            }
            var nodes: [Node] = []
            nodes.reserveCapacity(Int(set.pointee.nodeNr))
            for index in 0..<Int(set.pointee.nodeNr) {
                if let node = table[index] { nodes.append(node) }
            }
            return .nodes(nodes)
        case XPATH_STRING:
            return .string(object.pointee.stringval.map { String(cString: $0) } ?? "")
        case XPATH_NUMBER:
            return .number(object.pointee.floatval)
        case XPATH_BOOLEAN:
            return .boolean(object.pointee.boolval != 0)
        default:
            return .nodes([])
        }
    }

    /// The nodes an expression selects (empty when it gives a string, number or boolean).
    func nodes(_ expression: XPathExpression, at node: Node? = nil) -> [Node] {
        if case .nodes(let nodes) = evaluate(expression, at: node) { return nodes }
        return []
    }

    /// An expression's value as text: the first node's text (an attribute's value), or the
    /// string, number or boolean written out; whitespace collapsed.
    func string(_ expression: XPathExpression, at node: Node? = nil) -> String? {
        let text: String
        switch evaluate(expression, at: node) {
        case .nodes(let nodes):
            guard let first = nodes.first else { return nil }
            text = Self.text(of: first)
        case .string(let s): text = PageText.collapse(s)
        case .number(let n): text = n.isNaN ? "" : (n == n.rounded() ? String(Int(n)) : String(n))
        case .boolean(let b): text = b ? "true" : "false"
        }
        return text.isEmpty ? nil : text
    }

    // MARK: nodes

    /// The element's lowercase name (libxml2's HTML parser lowercases them); "" for other nodes.
    static func name(_ node: Node) -> String {
        guard node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name else { return "" }
        return String(cString: name)
    }

    /// Whether `node` is an element called `name` (lowercase ASCII).
    static func isElement(_ node: Node, _ name: StaticString) -> Bool {
        guard node.pointee.type == XML_ELEMENT_NODE, let own = node.pointee.name else { return false }
        return strcmp(
            UnsafeRawPointer(own).assumingMemoryBound(to: CChar.self),
            UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    /// An attribute's value, read in place from the tree; `nil` when absent.
    static func attribute(_ node: Node, _ name: String) -> String? {
        guard node.pointee.type == XML_ELEMENT_NODE else {
            if node.pointee.type == XML_ATTRIBUTE_NODE { return text(of: node) }
            return nil
        }
        var property = node.pointee.properties
        while let attribute = property {
            if let own = attribute.pointee.name, String(cString: own) == name {
                var value = ""
                var child = attribute.pointee.children
                while let part = child {
                    if let content = part.pointee.content { value += String(cString: content) }
                    child = part.pointee.next
                }
                return value
            }
            property = attribute.pointee.next
        }
        return nil
    }

    /// The element children of `node`, in order.
    static func elementChildren(_ node: Node) -> [Node] {
        var out: [Node] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { out.append(current) }
            child = current.pointee.next
        }
        return out
    }

    /// The first element called `name` under `node` in document order, looking at most at
    /// `limit` nodes (a `<base>` or `<title>` sits near the top; a hostile page is not walked whole).
    static func firstElement(named name: String, under node: Node, limit: Int) -> Node? {
        var seen = 0
        var found: Node?
        walk(node) { current in
            seen += 1
            if seen > limit { return .stop }
            if Self.name(current) == name {
                found = current
                return .stop
            }
            return .descend
        }
        return found
    }

    /// What a walk does after visiting a node.
    enum WalkStep {
        case descend, skipChildren, stop
    }

    /// Visits `node` and everything under it in document order, without recursion (a page
    /// of 100 000 nested elements must not exhaust the stack). `leave` is called when a node
    /// and everything under it has been visited (or skipped).
    static func walk(_ node: Node, leave: (Node) -> Void = { _ in }, _ enter: (Node) -> WalkStep) {
        var current: Node? = node
        while let here = current {
            let step = enter(here)
            if case .stop = step { return }
            if case .descend = step, let child = here.pointee.children,
                here.pointee.type == XML_ELEMENT_NODE || here.pointee.type == XML_DOCUMENT_NODE
                    || here.pointee.type == XML_HTML_DOCUMENT_NODE
            {
                current = child
                continue
            }
            leave(here)
            // Next sibling, else the nearest ancestor's next sibling, never above `node`.
            var up = here
            current = nil
            while up != node {
                if let next = up.pointee.next {
                    current = next
                    break
                }
                guard let parent = up.pointee.parent else { break }
                up = parent
                leave(up)
            }
        }
    }

    /// What an element is for text: flags looked up by name without making a `String`.
    struct ElementClass: OptionSet {
        let rawValue: UInt8
        /// Its text is never page text: code, styles, templates.
        static let invisible = ElementClass(rawValue: 1)
        /// It ends a line of text (its text is a block of its own).
        static let block = ElementClass(rawValue: 2)
        /// Page chrome a change watch leaves out: navigation, header, footer, forms, asides.
        static let chrome = ElementClass(rawValue: 4)
        /// `h1` to `h6`.
        static let heading = ElementClass(rawValue: 8)
        /// `a`.
        static let link = ElementClass(rawValue: 16)
        /// `time`.
        static let time = ElementClass(rawValue: 32)
        /// `p`.
        static let paragraph = ElementClass(rawValue: 64)
    }

    /// The classes of the elements that have one, by key: a name's first seven bytes (the first
    /// in the low byte) and its length in the high byte, which no two HTML names share. A switch
    /// over constants, with no hashing: this runs for every element of a page. Names: invisible
    /// script style noscript template svg iframe object head; chrome nav header footer form
    /// aside button; headings h1–h6; link a; time; paragraph p; and the blocks of text.
    private static func classOf(key: UInt64) -> ElementClass {
        switch key {
        case 0x0100_0000_0000_0061: [.link]  // a
        case 0x0100_0000_0000_0070: [.block, .paragraph]  // p
        case 0x0200_0000_0000_3168: [.block, .heading]  // h1
        case 0x0200_0000_0000_3268: [.block, .heading]  // h2
        case 0x0200_0000_0000_3368: [.block, .heading]  // h3
        case 0x0200_0000_0000_3468: [.block, .heading]  // h4
        case 0x0200_0000_0000_3568: [.block, .heading]  // h5
        case 0x0200_0000_0000_3668: [.block, .heading]  // h6
        case 0x0200_0000_0000_6464: [.block]  // dd
        case 0x0200_0000_0000_6474: [.block]  // td
        case 0x0200_0000_0000_6874: [.block]  // th
        case 0x0200_0000_0000_696C: [.block]  // li
        case 0x0200_0000_0000_6C64: [.block]  // dl
        case 0x0200_0000_0000_6C6F: [.block]  // ol
        case 0x0200_0000_0000_6C75: [.block]  // ul
        case 0x0200_0000_0000_7262: [.block]  // br
        case 0x0200_0000_0000_7268: [.block]  // hr
        case 0x0200_0000_0000_7274: [.block]  // tr
        case 0x0200_0000_0000_7464: [.block]  // dt
        case 0x0300_0000_0065_7270: [.block]  // pre
        case 0x0300_0000_0067_7673: [.invisible]  // svg
        case 0x0300_0000_0076_616E: [.block, .chrome]  // nav
        case 0x0300_0000_0076_6964: [.block]  // div
        case 0x0400_0000_6461_6568: [.invisible]  // head
        case 0x0400_0000_656D_6974: [.time]  // time
        case 0x0400_0000_6D72_6F66: [.block, .chrome]  // form
        case 0x0400_0000_6E69_616D: [.block]  // main
        case 0x0500_0064_6165_6874: [.block]  // thead
        case 0x0500_0065_6469_7361: [.block, .chrome]  // aside
        case 0x0500_0065_6C62_6174: [.block]  // table
        case 0x0500_0065_6C79_7473: [.invisible]  // style
        case 0x0500_0079_646F_6274: [.block]  // tbody
        case 0x0600_656D_6172_6669: [.invisible]  // iframe
        case 0x0600_6572_7567_6966: [.block]  // figure
        case 0x0600_6E6F_7474_7562: [.chrome]  // button
        case 0x0600_7265_6461_6568: [.block, .chrome]  // header
        case 0x0600_7265_746F_6F66: [.block, .chrome]  // footer
        case 0x0600_7463_656A_626F: [.invisible]  // object
        case 0x0600_7470_6972_6373: [.invisible]  // script
        case 0x0765_6C63_6974_7261: [.block]  // article
        case 0x076E_6F69_7463_6573: [.block]  // section
        case 0x076E_6F69_7470_6163: [.block]  // caption
        case 0x0773_6C69_6174_6564: [.block]  // details
        case 0x0773_7365_7264_6461: [.block]  // address
        case 0x0779_7261_6D6D_7573: [.block]  // summary
        case 0x0870_6972_6373_6F6E: [.invisible]  // noscript
        case 0x0874_616C_706D_6574: [.invisible]  // template
        case 0x0A74_7061_6367_6966: [.block]  // figcaption
        case 0x0A75_716B_636F_6C62: [.block]  // blockquote
        default: []
        }
    }

    /// The element's class; empty for other nodes and unlisted elements.
    static func elementClass(_ node: Node) -> ElementClass {
        guard node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name else { return [] }
        var key: UInt64 = 0
        var length = 0
        while name[length] != 0 {
            if length < 7 { key |= UInt64(name[length]) << (length * 8) }
            length += 1
            if length > 64 { return [] }
        }
        return classOf(key: key | UInt64(length) << 56)
    }

    /// Whether `node` holds any visible character (not only whitespace, scripts or styles).
    static func hasVisibleText(_ node: Node) -> Bool {
        var found = false
        walk(node) { current in
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                var pointer = current.pointee.content
                while let byte = pointer?.pointee, byte != 0 {
                    if byte != 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D, byte != 0xC2, byte != 0xA0 {
                        found = true
                        return .stop
                    }
                    pointer = pointer?.successor()
                }
                return .skipChildren
            case XML_ELEMENT_NODE:
                return elementClass(current).contains(.invisible) ? .skipChildren : .descend
            default:
                return .skipChildren
            }
        }
        return found
    }

    /// The visible text of `node`, whitespace collapsed to single spaces.
    static func text(of node: Node) -> String {
        if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE
            || node.pointee.type == XML_ATTRIBUTE_NODE
        {
            if node.pointee.type == XML_ATTRIBUTE_NODE {
                var value = ""
                var child = node.pointee.children
                while let part = child {
                    if let content = part.pointee.content { value += String(cString: content) }
                    child = part.pointee.next
                }
                return PageText.collapse(value)
            }
            return PageText.collapse(node.pointee.content.map { String(cString: $0) } ?? "")
        }
        let collector = PageText.Collector()
        collect(node, into: collector)
        return collector.finish().joined(separator: " ")
    }

    /// Appends the text under `node` to `collector`, a line break at every block boundary, leaving
    /// out invisible elements and the elements named in `skipping`.
    static func collect(_ node: Node, into collector: PageText.Collector, skippingChrome: Bool = false) {
        let skipped: ElementClass = skippingChrome ? [.invisible, .chrome] : .invisible
        walk(
            node,
            leave: { current in
                if elementClass(current).contains(.block) { collector.breakLine() }
            }
        ) { current in
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { collector.append(content) }
                return .skipChildren
            case XML_ELEMENT_NODE:
                let kind = elementClass(current)
                if !kind.isDisjoint(with: skipped) { return .skipChildren }
                if kind.contains(.block) { collector.breakLine() }
                return .descend
            default:
                return .skipChildren
            }
        }
        collector.breakLine()
    }
}

/// An XPath 1.0 expression compiled once by libxml2, evaluated against many nodes.
final class XPathExpression {
    let compiled: xmlXPathCompExprPtr
    /// The expression as written.
    let source: String

    /// Compiles `source`; `nil` when libxml2 rejects it.
    init?(_ source: String) {
        xmlInitParser()
        cxml_silence_global_errors()
        guard let compiled = xmlXPathCompile(source) else { return nil }
        self.compiled = compiled
        self.source = source
    }

    deinit { xmlXPathFreeCompExpr(compiled) }
}
