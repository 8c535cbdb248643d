import FeedParser
import Foundation
import RegWatch

/// What `fetch --kind page|change` prints.
enum PageCommands {
    static func previewPage(url: URL, recipe: PageRecipe?, fetch: Configuration.Fetch, json: Bool) async throws {
        let preview = try await PagePreview.load(url, recipe: recipe, fetch: fetch)
        if json {
            let response = preview.response
            var recipeJSON: [String: FeedJSON.Value] = [:]
            for (key, expression) in preview.recipe.expressions { recipeJSON[key] = .string(expression) }
            let extra: [String: FeedJSON.Value] = [
                "final_url": .string(response.finalURL.absoluteString),
                "status": .integer(response.status),
                "etag": response.etag.map { .string($0) } ?? .null,
                "last_modified": response.lastModified.map { .string($0) } ?? .null,
                "recipe": .object(recipeJSON),
                "detected": .bool(preview.detected),
            ]
            var out = FeedJSON.encode(preview.feed, extra: extra)
            out.append(0x0A)
            FileHandle.standardOutput.write(out)
            return
        }
        print(summary(preview))
        for line in recipeLines(preview.recipe) { print("  \(line)") }
        for line in itemLines(preview.feed, limit: 10) { print(line) }
    }

    static func previewChange(url: URL, region: String?, fetch: Configuration.Fetch, json: Bool) async throws {
        let preview = try await ChangePreview.load(url, region: region, fetch: fetch)
        if json {
            let object: [String: FeedJSON.Value] = [
                "title": preview.title.map { .string($0) } ?? .null,
                "final_url": .string(preview.response.finalURL.absoluteString),
                "status": .integer(preview.response.status),
                "content_type": preview.response.contentType.map { .string($0) } ?? .null,
                "bytes": .integer(preview.response.body.count),
                "lines": .array(preview.lines.map { .string($0) }),
            ]
            var out = FeedJSON.Value.object(object).encoded()
            out.append(0x0A)
            FileHandle.standardOutput.write(out)
            return
        }
        let say = Messages.current
        print(say.linesCompared(preview.title ?? preview.response.finalURL.absoluteString, count: preview.lines.count))
        for line in preview.lines.prefix(40) { print("  \(line)") }
        if preview.lines.count > 40 { print(say.andMore(preview.lines.count - 40)) }
    }

    static func summary(_ preview: PagePreview) -> String {
        Messages.current.pageSummary(
            preview.feed.title ?? preview.response.finalURL.absoluteString, items: preview.feed.items.count,
            detected: preview.detected)
    }

    static func recipeLines(_ recipe: PageRecipe) -> [String] {
        recipe.expressions.map { "\($0.key) = \($0.expression)" }
    }

    static func itemLines(_ feed: Feed, limit: Int) -> [String] {
        let say = Messages.current
        var lines: [String] = []
        for item in feed.items.prefix(limit) {
            let date = item.date.map { String(FeedJSON.timestamp($0).prefix(10)) } ?? say.undated
            lines.append("  \(date)  \(item.title ?? item.link ?? say.untitled)")
        }
        if feed.items.count > limit { lines.append(say.andMore(feed.items.count - limit)) }
        return lines
    }
}
