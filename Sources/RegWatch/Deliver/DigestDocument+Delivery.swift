import Foundation

/// What the delivery targets read of a digest: its JSON rendition, decoded.
///
/// Built from the JSON rather than from a ``WeeklyDigest`` so that a week already sent is
/// delivered from what was kept (``DigestRenditions/json``), the same content as the email the
/// team received.
extension DigestDocument {
    /// Decodes the JSON rendition (``WeeklyDigest/renderJSON()``).
    init(json: String) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        self = try decoder.decode(DigestDocument.self, from: Data(json.utf8))
    }

    /// A group of entries under one heading.
    struct Section: Sendable {
        var heading: String
        var items: [Item]
    }

    /// The digest's fixed words, in its language.
    var strings: DigestStrings { .for(DigestSettings.Language(rawValue: language) ?? .fr) }

    /// "Veille réglementaire — Semaine 2025-W49".
    var title: String {
        let week = (try? ISOWeek(parsing: self.week)).map(strings.weekLabel) ?? self.week
        return "\(strings.title) — \(week)"
    }

    /// "Lecture : 13 min · 24 articles".
    var subtitle: String {
        var parts = [strings.readingTime(reading_minutes)]
        if !items.isEmpty { parts.append(strings.itemCount(items.count)) }
        return parts.joined(separator: " · ")
    }

    /// The entries in digest order under their headings: highlights, topics, others.
    func sections(topics: [Topic]) -> [Section] {
        var order: [String] = []
        var groups: [String: [Item]] = [:]
        for item in items {
            if groups[item.section] == nil { order.append(item.section) }
            groups[item.section, default: []].append(item)
        }
        return order.map { key in
            let heading: String
            switch key {
            case "highlights": heading = strings.highlights
            case "other": heading = strings.others
            default: heading = topics.first { $0.id.rawValue == key }?.label ?? key
            }
            return Section(heading: heading, items: groups[key] ?? [])
        }
    }

    /// "Légifrance · CPF, Qualiopi · réf. 42".
    func meta(of item: Item, topics: [Topic]) -> String {
        var parts = [item.source]
        let labels = item.topics.map { id in topics.first { $0.id.rawValue == id }?.label ?? id }
        if !labels.isEmpty { parts.append(labels.joined(separator: strings.listSeparator)) }
        parts.append(strings.reference(item.ref))
        return parts.joined(separator: " · ")
    }

    /// "Ministère du Travail — site injoignable".
    func blindSpot(_ failing: Failing) -> String {
        "\(failing.source) — \(failing.reason_text)"
    }

    /// The entries' link when it is an http(s) URL, else `nil`: the only links a target gets.
    static func linkable(_ link: String?) -> String? { WeeklyDigest.linkable(link) }
}
