import FeedParser
import Foundation
import Transfer

/// `kind = "change"`: a page whose changes are the news (a reading guide, a rules page, a FAQ),
/// or a document (PDF, DOCX, …) watched by content.
///
/// The first read records a baseline and gives no item. Afterwards, a page whose compared text
/// (the region's text, `ignore` matches removed, whitespace and markup not counted) differs
/// from the last read gives one item: which page changed, the added and removed sentences in
/// words, and the word-level diff as its content. A document whose bytes differ gives one item
/// "document modifié" with its size and type.
struct ChangeSourceReader: SourceReader {
    let reader: PageReader
    let watch: ChangeWatch
    let url: FeedURL
    let language: Configuration.Language
    var accept: FetchRequest.Accept { .pages }

    func read(_ response: FetchResponse, previous: SourceMemory?, at time: Date) throws -> SourceReading {
        if Self.isHTML(response) {
            return try readPage(response, previous: previous, at: time)
        }
        return readDocument(response, previous: previous, at: time)
    }

    static func isHTML(_ response: FetchResponse) -> Bool {
        if let type = response.contentType?.lowercased() {
            if type.contains("html") { return true }
            if !type.hasPrefix("text/") && !type.contains("xml") { return false }
        }
        let head = response.body.prefix(1024)
        let text = String(decoding: head, as: UTF8.self).lowercased()
        return text.contains("<html") || text.contains("<!doctype html") || text.contains("<body")
    }

    // MARK: pages

    private func readPage(_ response: FetchResponse, previous: SourceMemory?, at time: Date) throws -> SourceReading {
        let page = try reader.text(
            response.body, url: response.finalURL, charset: response.charset, region: watch.region)
        if !page.regionMatched, let region = watch.region {
            let what =
                previous?.snapshot == nil
                ? "the region matched nothing" : "the page layout changed: the region matched nothing"
            throw SourceReadError(
                description:
                    "\(what) (region = \"\(region)\") — check it with `watchctl fetch \(url.rawValue) --kind change`")
        }
        let text = try compared(page.lines)
        var feed = Feed(format: .pageChange, title: page.title, link: response.finalURL.absoluteString)
        let memory = SourceMemory(snapshot: text, contentType: "text/html", size: text.utf8.count)
        guard let before = previous?.snapshot, before != text else {
            return SourceReading(feed: feed, memory: memory)
        }
        let diff = TextDiff(old: before, new: text)
        guard diff.hasChanges else { return SourceReading(feed: feed, memory: memory) }
        let name = page.title ?? response.finalURL.absoluteString
        let strings = ChangeStrings(language: language)
        let first = diff.added.first ?? diff.removed.first
        var item = Item(
            id: "change:\(response.finalURL.absoluteString)@\(UTCDateText.timestamp(time))",
            title: strings.pageTitle(name, sentence: first.map { Self.cut($0, 90) }),
            link: response.finalURL.absoluteString, published: time)
        item.summary = strings.summary(added: diff.added, removed: diff.removed)
        item.content = diff.rendered(limit: 20_000)
        feed.items = [item]
        return SourceReading(feed: feed, memory: memory)
    }

    /// The page's lines with `ignore` matches removed and whitespace collapsed, empty lines dropped.
    private func compared(_ lines: [String]) throws -> String {
        let patterns = try watch.ignore.map { try Regex($0) }
        var out: [String] = []
        for var line in lines {
            for pattern in patterns { line = line.replacing(pattern, with: "") }
            let words = line.split(whereSeparator: \.isWhitespace)
            if !words.isEmpty { out.append(words.joined(separator: " ")) }
        }
        return out.joined(separator: "\n")
    }

    // MARK: documents

    private func readDocument(_ response: FetchResponse, previous: SourceMemory?, at time: Date) -> SourceReading {
        let digest = "fnv1a64:" + Self.digest(response.body)
        let type =
            response.contentType?.split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces)
            } ?? "application/octet-stream"
        let name =
            response.finalURL.lastPathComponent.isEmpty
            ? response.finalURL.absoluteString : response.finalURL.lastPathComponent
        var feed = Feed(format: .pageChange, title: name, link: response.finalURL.absoluteString)
        let memory = SourceMemory(snapshot: digest, contentType: type, size: response.body.count)
        guard let before = previous, let beforeDigest = before.snapshot, beforeDigest != digest else {
            return SourceReading(feed: feed, memory: memory)
        }
        let strings = ChangeStrings(language: language)
        var item = Item(
            id: "change:\(response.finalURL.absoluteString)@\(UTCDateText.timestamp(time))",
            title: strings.documentTitle(name), link: response.finalURL.absoluteString, published: time)
        item.summary = strings.documentSummary(
            type: type, size: response.body.count, previousType: before.contentType, previousSize: before.size)
        feed.items = [item]
        return SourceReading(feed: feed, memory: memory)
    }

    static func digest(_ data: Data) -> String {
        let hash = data.withUnsafeBytes { FNV1a.hash($0) }
        return FNV1a.hex(hash) + "-\(data.count)"
    }

    static func cut(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        let prefix = text.prefix(limit)
        let end = prefix.lastIndex(of: " ") ?? prefix.endIndex
        return String(prefix[..<end]) + "…"
    }
}

/// The words of change items, in the digest's language.
struct ChangeStrings {
    let language: Configuration.Language

    func pageTitle(_ page: String, sentence: String?) -> String {
        switch (language, sentence) {
        case (.fr, let sentence?): "\(page) — page modifiée : « \(sentence) »"
        case (.fr, nil): "\(page) — page modifiée"
        case (.en, let sentence?): "\(page) — page changed: “\(sentence)”"
        case (.en, nil): "\(page) — page changed"
        }
    }

    func summary(added: [String], removed: [String]) -> String {
        var parts: [String] = []
        func quote(_ s: String) -> String {
            language == .fr ? "« \(ChangeSourceReader.cut(s, 200)) »" : "“\(ChangeSourceReader.cut(s, 200))”"
        }
        // "Ajouté : « … » (et 2 autres phrases ajoutées)": the first sentence, and how many more.
        func part(_ lines: [String], french: (label: String, participle: String), english: (String, String)) {
            guard let first = lines.first else { return }
            let more = lines.count - 1
            let s = more > 1 ? "s" : ""
            let tail =
                more > 0
                ? (language == .fr
                    ? " (et \(more) autre\(s) phrase\(s) \(french.participle)\(s))"
                    : " (and \(more) more sentence\(s) \(english.1))") : ""
            parts.append((language == .fr ? french.label : english.0) + quote(first) + tail)
        }
        part(added, french: ("Ajouté : ", "ajoutée"), english: ("Added: ", "added"))
        part(removed, french: ("Retiré : ", "retirée"), english: ("Removed: ", "removed"))
        if parts.isEmpty { return language == .fr ? "Le texte a été réorganisé." : "The text was rearranged." }
        return parts.joined(separator: language == .fr ? " ; " : "; ") + "."
    }

    func documentTitle(_ name: String) -> String {
        language == .fr ? "\(name) — document modifié" : "\(name) — document changed"
    }

    func documentSummary(type: String, size: Int, previousType: String?, previousSize: Int?) -> String {
        let unit = language == .fr ? "octets" : "bytes"
        var text =
            language == .fr
            ? "Le document a changé : \(type), \(size) \(unit)" : "The document changed: \(type), \(size) \(unit)"
        if let previousSize {
            text += language == .fr ? " (avant : \(previousSize) \(unit)" : " (before: \(previousSize) \(unit)"
            if let previousType, previousType != type { text += ", \(previousType)" }
            text += ")"
        }
        return text + "."
    }
}
