import CLibXML2
import Foundation

/// Finds the main repeated block of a listing page and writes an XPath for it.
///
/// A candidate is a group of at least three element siblings of one shape (same element, same
/// first class), of which at least three — and 60 % — carry a headline link: a link with
/// `href` and a text of three words or more. Navigation, header, footer, asides, forms, menus,
/// breadcrumbs and pagination (by element, ARIA role, or class/id words such as `nav`, `menu`,
/// `pagination`, `footer`) are never looked into. The group with the most headline links wins,
/// weighted by how long the headlines are and how many blocks carry a date.
struct PageDetector {
    let document: HTMLDocument
    private let headlineLinks = XPathExpression(
        ".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]//a[@href] | .//a[@href]")!
    private let times = XPathExpression(".//time")!

    init(document: HTMLDocument) { self.document = document }

    typealias Node = HTMLDocument.Node

    /// Elements never looked into.
    static let excludedElements: Set<String> = [
        "nav", "header", "footer", "aside", "form", "script", "style", "noscript", "template", "select", "head", "svg",
    ]
    /// ARIA roles never looked into.
    static let excludedRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "search", "menu", "menubar", "complementary",
    ]
    /// Words of class or id names that mark chrome rather than content.
    static let excludedWords: Set<String> = [
        "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "ariane", "pagination", "pager", "footer",
        "header", "sidebar", "widget", "skiplinks", "skiplink", "share", "social", "follow", "tabs", "toolbar",
    ]

    /// The XPath of the page's main repeated block, or `nil` when there is none.
    func itemsExpression() -> String? {
        guard let root = document.root else { return nil }
        var best: (score: Double, parent: Node, members: [Node], shape: Shape)?
        var budget = 200_000  // elements looked at: a hostile page is not walked whole
        HTMLDocument.walk(root) { node in
            guard node.pointee.type == XML_ELEMENT_NODE else { return .skipChildren }
            budget -= 1
            if budget < 0 { return .stop }
            if Self.isExcluded(node) { return .skipChildren }
            for (shape, members) in Self.groups(of: node) where members.count >= 3 {
                guard let score = score(members) else { continue }
                if best == nil || score > best!.score { best = (score, node, members, shape) }
            }
            return .descend
        }
        guard let best else { return nil }
        return expression(parent: best.parent, shape: best.shape, count: best.members.count)
    }

    /// The shape siblings are grouped by: element name and first class.
    struct Shape: Hashable {
        var name: String
        var firstClass: String?

        var step: String {
            guard let firstClass else { return name }
            return "\(name)[contains(concat(' ', normalize-space(@class), ' '), ' \(firstClass) ')]"
        }
    }

    private static func groups(of node: Node) -> [(Shape, [Node])] {
        var order: [Shape] = []
        var groups: [Shape: [Node]] = [:]
        for child in HTMLDocument.elementChildren(node) {
            let name = HTMLDocument.name(child)
            guard !excludedElements.contains(name), name != "br", name != "hr" else { continue }
            // The first class without digits: "post" rather than "post-1841", which differs per block.
            let generic = classes(child).first { token in !token.contains("'") && !token.contains(where: \.isNumber) }
            let shape = Shape(name: name, firstClass: generic)
            if groups[shape] == nil { order.append(shape) }
            groups[shape, default: []].append(child)
        }
        return order.map { ($0, groups[$0]!) }
    }

    private static func classes(_ node: Node) -> [String] {
        (HTMLDocument.attribute(node, "class") ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            .map(String.init)
    }

    static func isExcluded(_ node: Node) -> Bool {
        let name = HTMLDocument.name(node)
        if excludedElements.contains(name) { return true }
        if let role = HTMLDocument.attribute(node, "role")?.lowercased(), excludedRoles.contains(role) { return true }
        if HTMLDocument.attribute(node, "aria-hidden") == "true" { return true }
        var names = classes(node)
        if let id = HTMLDocument.attribute(node, "id") { names.append(id) }
        for token in names {
            // BEM: "fr-card__header" is a part of a card, "fr-header" is the site's header.
            let block = token.lowercased().components(separatedBy: "__").first ?? ""
            for word in block.split(whereSeparator: { $0 == "-" || $0 == "_" })
            where excludedWords.contains(String(word)) {
                return true
            }
        }
        return false
    }

    /// The group's score, or `nil` when it is not a list of headlines.
    private func score(_ members: [Node]) -> Double? {
        var headlines = 0
        var length = 0
        var dated = 0
        var links: Set<String> = []
        for member in members.prefix(200) {
            let candidates = HTMLDocument.isElement(member, "a") ? [member] : document.nodes(headlineLinks, at: member)
            guard
                let link = candidates.first(where: { node in
                    let text = HTMLDocument.text(of: node)
                    guard let href = HTMLDocument.attribute(node, "href"), !href.hasPrefix("#") else { return false }
                    return text.count >= 12 && text.split(separator: " ").count >= 3
                })
            else { continue }
            headlines += 1
            length += min(HTMLDocument.text(of: link).count, 120)
            links.insert(HTMLDocument.attribute(link, "href") ?? "")
            if !document.nodes(times, at: member).isEmpty || PageDate.first(in: HTMLDocument.text(of: member)) != nil {
                dated += 1
            }
        }
        let considered = min(members.count, 200)
        guard headlines >= 3, links.count >= 3, Double(headlines) >= 0.6 * Double(considered) else { return nil }
        let averageLength = Double(length) / Double(headlines)
        return Double(headlines) * (0.5 + min(averageLength, 80) / 80) * (1 + Double(dated) / Double(headlines))
    }

    /// An XPath selecting exactly the group: by the parent's id, else its first class when that is
    /// unique on the page, else its position from the root.
    private func expression(parent: Node, shape: Shape, count: Int) -> String {
        let name = HTMLDocument.name(parent)
        var candidates: [String] = []
        if let id = HTMLDocument.attribute(parent, "id"), !id.isEmpty, !id.contains("'") {
            candidates.append("//\(name)[@id='\(id)']/\(shape.step)")
        }
        if let first = Self.classes(parent).first, !first.contains("'") {
            candidates.append(
                "//\(name)[contains(concat(' ', normalize-space(@class), ' '), ' \(first) ')]/\(shape.step)")
        }
        for candidate in candidates {
            if let compiled = XPathExpression(candidate), document.nodes(compiled).count == count { return candidate }
        }
        return positionalPath(parent) + "/" + shape.step
    }

    /// `/html/body/div[2]/main/ul` for a node.
    private func positionalPath(_ node: Node) -> String {
        var steps: [String] = []
        var current: Node? = node
        while let here = current, here.pointee.type == XML_ELEMENT_NODE {
            let name = HTMLDocument.name(here)
            var position = 1
            var total = 0
            if let parent = here.pointee.parent {
                var sibling = parent.pointee.children
                while let other = sibling {
                    if other.pointee.type == XML_ELEMENT_NODE, HTMLDocument.name(other) == name {
                        total += 1
                        if other == here { position = total }
                    }
                    sibling = other.pointee.next
                }
            }
            steps.append(total > 1 ? "\(name)[\(position)]" : name)
            current = here.pointee.parent
        }
        return "/" + steps.reversed().joined(separator: "/")
    }
}
