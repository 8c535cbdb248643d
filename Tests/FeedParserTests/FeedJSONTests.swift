import FeedParser
import Foundation
import XCTest

/// The `watchctl parse` JSON contract of docs/cli.md.
final class FeedJSONTests: XCTestCase {
    func testKeysNullsAndDatesFollowTheContract() throws {
        let feed = Feed(
            format: .rss20, title: "Flux \"cité\"\n", link: nil,
            items: [
                Item(
                    id: nil, title: "Titre", link: "https://a.example/1", published: utc("2025-12-03T08:00:00Z"),
                    authors: ["A"], categories: ["cpf"])
            ])
        let data = feed.parseJSON()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["format", "title", "link", "items"])
        XCTAssertEqual(object["format"] as? String, "rss2.0")
        XCTAssertEqual(object["title"] as? String, "Flux \"cité\"\n")
        XCTAssertTrue(object["link"] is NSNull)
        let item = try XCTUnwrap((object["items"] as? [[String: Any]])?.first)
        XCTAssertEqual(
            Set(item.keys),
            ["id", "title", "link", "published", "updated", "summary", "content", "authors", "categories"])
        XCTAssertEqual(item["published"] as? String, "2025-12-03T08:00:00Z")
        XCTAssertTrue(item["id"] is NSNull)
        XCTAssertTrue(item["updated"] is NSNull)
        XCTAssertEqual(item["authors"] as? [String], ["A"])
    }

    func testExtraTopLevelKeysForFetch() throws {
        let data = FeedJSON.encode(
            Feed(format: .atom10),
            extra: [
                "final_url": .string("https://b.example/feed"), "status": .integer(200), "etag": .null,
            ])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["final_url"] as? String, "https://b.example/feed")
        XCTAssertEqual(object["status"] as? Int, 200)
        XCTAssertTrue(object["etag"] is NSNull)
        XCTAssertEqual(object["format"] as? String, "atom1.0")
    }

    func testTimestampIsUTCWithoutFraction() {
        XCTAssertEqual(FeedJSON.timestamp(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00Z")
        XCTAssertEqual(FeedJSON.timestamp(Date(timeIntervalSince1970: 1_764_748_800.75)), "2025-12-03T08:00:00Z")
        XCTAssertEqual(FeedJSON.timestamp(Date(timeIntervalSince1970: 951_782_400)), "2000-02-29T00:00:00Z")
    }
}
