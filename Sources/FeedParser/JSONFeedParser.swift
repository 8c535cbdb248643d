import Foundation

/// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), through `JSONSerialization`.
enum JSONFeedParser {
    static func parse(_ data: Data, baseURL: String?) throws -> Feed {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw FeedParseError.malformed(.invalidJSON)
        }
        guard let root = object as? [String: Any] else {
            throw FeedParseError.notAFeed(.jsonWithoutObject)
        }
        guard let version = root["version"] as? String, version.contains("jsonfeed.org/version/") else {
            throw FeedParseError.notAFeed(.notJSONFeed)
        }
        let html = HTMLTextConverter()
        // JSON can carry what XML 1.0 cannot (`\u0000`, BEL, ESC…): drop those controls as the XML
        // path drops them, so no feed format smuggles a NUL into the store (C tools truncate there).
        func string(_ value: Any?) -> String? {
            guard let string = value as? String else { return nil }
            guard string.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
                return string
            }
            return String(
                String.UnicodeScalarView(
                    string.unicodeScalars.filter {
                        $0.value >= 0x20 || $0 == "\t" || $0 == "\n" || $0 == "\r"
                    }))
        }
        func text(_ value: Any?) -> String? {
            guard let string = string(value) else { return nil }
            var accumulator = TextAccumulator()
            accumulator.append(string)
            return accumulator.result()
        }
        func url(_ value: Any?, base: String?) -> String? {
            guard let string = URLResolver.trimmed(value as? String) else { return nil }
            return URLResolver.resolve(string, against: base)
        }
        func names(_ object: [String: Any]) -> [String] {
            var result: [String] = []
            if let authors = object["authors"] as? [[String: Any]] {
                result = authors.compactMap { text($0["name"]) }
            } else if let author = object["author"] as? [String: Any], let name = text(author["name"]) {
                result = [name]  // JSON Feed 1.0
            }
            return result
        }
        let home = url(root["home_page_url"], base: baseURL ?? (root["feed_url"] as? String))
        let base = baseURL ?? home
        var feed = Feed(
            format: .jsonFeed11, title: text(root["title"]), link: home,
            description: text(root["description"]))
        for case let entry as [String: Any] in (root["items"] as? [Any]) ?? [] {
            var id: String?
            if let string = entry["id"] as? String {
                id = string.trimmingCharacters(in: .whitespacesAndNewlines)
            } else if let number = entry["id"] as? NSNumber {
                id = number.stringValue  // 1.0 feeds sometimes use numbers
            }
            if id?.isEmpty == true { id = nil }
            var content: String?
            if let body = string(entry["content_html"]) {
                content = html.plainText(html: body)
            } else if let body = string(entry["content_text"]) {
                var accumulator = TextAccumulator()
                for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
                    accumulator.append(String(line))
                    accumulator.lineBreak()
                }
                content = accumulator.result()
            }
            feed.items.append(
                Item(
                    id: id,
                    title: string(entry["title"]).flatMap { html.plainText(html: $0) },
                    link: url(entry["url"], base: base) ?? url(entry["external_url"], base: base),
                    published: (entry["date_published"] as? String).flatMap(FeedDate.parse),
                    updated: (entry["date_modified"] as? String).flatMap(FeedDate.parse),
                    summary: text(entry["summary"]) ?? content,
                    content: content,
                    authors: names(entry).isEmpty ? names(root) : names(entry),
                    categories: (entry["tags"] as? [Any])?.compactMap { text($0) } ?? []))
        }
        return feed
    }
}
