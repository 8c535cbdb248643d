import FeedParser
import Foundation
import GRDB
import TestSupport
import XCTest

@testable import RegWatch

/// The `identity` column of the store is what recognises an entry from one fetch to the
/// next: if its rule changed for any entry, every existing database would store that entry
/// again as new. The golden file was written by the code that filled existing databases;
/// every refactoring of the rule must reproduce it byte for byte.
final class StoredIdentityStabilityTests: XCTestCase {
    private static let feedFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("FeedParserTests/Fixtures", isDirectory: true)

    /// Entries that exercise every branch of the rule: own id, a link with tracking
    /// parameters, a link that is not an absolute http(s) URL, blank fields, no link at all.
    private static let edgeItems: [Item] = [
        Item(id: "urn:uuid:7f1c", title: "Avec un id", link: "https://www.example.fr/a?utm_source=rss"),
        Item(id: "", title: "Id vide", link: "HTTPS://WWW.Centre-Inffo.fr:443/article?xtor=RSS-3&id=4#comments"),
        Item(title: "Lien relatif", link: "/actualites/decret-2026-12"),
        Item(title: "Lien mailto", link: "mailto:veille@example.fr"),
        Item(title: "Lien vide", link: ""),
        Item(title: "Lien blanc", link: "   "),
        Item(title: "Sans lien", published: Date(timeIntervalSince1970: 1_764_748_800)),
        Item(title: "Sans lien ni date"),
        Item(),
    ]

    func testTheStoredIdentityOfEveryFixtureItemNeverChanges() throws {
        let dir = try TemporaryDirectory(prefix: "regwatch-identity")
        defer { dir.remove() }
        let db = try AppDatabase.open(at: dir.file("state/regwatch.sqlite"))
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.feedFixtures.path)
            .filter { $0.hasSuffix(".xml") || $0.hasSuffix(".json") }.sorted()
        var lines: [String] = []
        for (index, name) in names.enumerated() {
            let data = try Data(contentsOf: Self.feedFixtures.appendingPathComponent(name))
            guard let feed = try? FeedParser().parse(data, baseURL: URL(string: "https://source.example/feed")),
                !feed.items.isEmpty
            else { continue }
            lines += try storedIdentities(feed.items, in: db, feed: "https://fixture\(index).example/feed", label: name)
        }
        lines += try storedIdentities(Self.edgeItems, in: db, feed: "https://edges.example/feed", label: "edge")
        XCTAssertGreaterThan(lines.count, 40)
        try FollowGolden.assertMatches(lines.joined(separator: "\n") + "\n", "identity", "stored-identities.txt")
    }

    private func storedIdentities(_ items: [Item], in db: AppDatabase, feed: String, label: String) throws -> [String] {
        let url = try XCTUnwrap(FeedURL(feed))
        let before = try db.writer.read { try Int.fetchOne($0, sql: "SELECT COALESCE(MAX(id), 0) FROM item") ?? 0 }
        try db.upsertItems(items, feedURL: url, fetchedAt: Date(timeIntervalSince1970: 1_764_748_800))
        let identities = try db.writer.read {
            try String.fetchAll($0, sql: "SELECT identity FROM item WHERE id > ? ORDER BY id", arguments: [before])
        }
        return identities.map { "\(label)\t\($0)" }
    }
}
