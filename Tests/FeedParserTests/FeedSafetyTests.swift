import FeedParser
import Foundation
import XCTest

/// Hostile documents: nothing outside the document is read, entities never amplify,
/// size is capped, and what is not a feed says so.
final class FeedSafetyTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("feedparser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func secretFile() throws -> URL {
        let secret = directory.appendingPathComponent("secret.txt")
        try Data("TOP-SECRET-42".utf8).write(to: secret)
        return secret
    }

    private func allText(_ feed: Feed) -> String {
        ([feed.title, feed.link, feed.description]
            + feed.items.flatMap { [$0.id, $0.title, $0.summary, $0.content, $0.link] })
            .compactMap { $0 }.joined(separator: " ")
    }

    func testExternalEntityIsNeverRead() throws {
        let secret = try secretFile()
        let template = try String(contentsOf: Fixture.url("xxe.xml"), encoding: .utf8)
        let document = template.replacingOccurrences(of: "SECRET_PATH", with: secret.path)
        let feed = try FeedParser().parse(Data(document.utf8))
        XCTAssertFalse(allText(feed).contains("TOP-SECRET"), allText(feed))
        XCTAssertEqual(feed.items.count, 1)
        // The reference to the undeclared-for-us entity stays as literal text.
        XCTAssertEqual(feed.items.first?.title, "Avis &xxe;")
    }

    func testExternalDTDAndParameterEntitiesAreNeverRead() throws {
        let secret = try secretFile()
        let document = """
            <?xml version="1.0"?>
            <!DOCTYPE rss SYSTEM "file://\(secret.path)" [
              <!ENTITY % remote SYSTEM "file://\(secret.path)">
              %remote;
            ]>
            <rss version="2.0"><channel><title>Flux</title>
            <item><title>Titre</title><description>Texte</description></item></channel></rss>
            """
        let feed = try FeedParser().parse(Data(document.utf8))
        XCTAssertFalse(allText(feed).contains("TOP-SECRET"))
        XCTAssertEqual(feed.items.map(\.title), ["Titre"])
    }

    func testBillionLaughsIsNeutralisedFast() throws {
        let feed = try Fixture.parse("billion-laughs.xml")
        // Declared entities are never expanded: the reference stays as short literal text.
        XCTAssertEqual(feed.items.count, 1)
        XCTAssertLessThan(allText(feed).utf8.count, 1000)
        XCTAssertFalse(allText(feed).contains("lollollol"))
    }

    func testInputLargerThanTheCapIsRefused() throws {
        let data = try Fixture.data("wordpress-rss2.xml")
        let parser = FeedParser(configuration: .init(maximumInputBytes: 1000))
        XCTAssertThrowsError(try parser.parse(data)) { error in
            let parseError = error as? FeedParseError
            XCTAssertEqual(parseError?.isTooLarge, true)
            XCTAssertEqual(parseError?.description, "document too large: \(data.count) bytes, the limit is 1000 bytes")
        }
    }

    func testARunawayFieldStopsAtTheFieldLimitBetweenTwoCharacters() throws {
        // 300 KB of text in every shape a field arrives in: element text, CDATA, escaped HTML, XHTML.
        let sentence = "Référentiel national qualité : l'été des opérateurs de compétences. "
        let long = String(repeating: sentence, count: 4_500)
        let document = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Limite</title>
            <entry><id>1</id><title>\(long)</title><summary type="html"><![CDATA[<p>\(long)</p>]]></summary>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">\(long)</div></content></entry>
            <entry><id>2</id><title>court</title><summary type="html">&lt;p&gt;\(long)&lt;/p&gt;</summary></entry>
            </feed>
            """
        let limit = 100_000
        let feed = try FeedParser(configuration: .init(maximumFieldBytes: limit)).parse(Data(document.utf8))
        XCTAssertEqual(feed.items.count, 2, "the fields after a runaway one are still read")
        XCTAssertEqual(feed.items[1].title, "court")
        for text in [feed.items[0].title, feed.items[0].summary, feed.items[0].content, feed.items[1].summary] {
            let text = try XCTUnwrap(text)
            XCTAssertLessThanOrEqual(text.utf8.count, limit)
            XCTAssertGreaterThan(
                text.utf8.count, limit - 2 * sentence.utf8.count, "cut at the limit, not a block before it")
            XCTAssertTrue(long.hasPrefix(text), "a prefix of the text, cut between two characters")
        }
    }

    func testHTMLPageIsNotAFeed() {
        let page = Data(
            "<!DOCTYPE html><html><head><title>Accueil</title></head><body><p>Bonjour</p></body></html>".utf8)
        XCTAssertThrowsError(try FeedParser().parse(page)) { error in
            XCTAssertEqual((error as? FeedParseError)?.isNotAFeed, true)
            XCTAssertEqual((error as? FeedParseError)?.description, "not an RSS, Atom, RDF or JSON feed: an HTML page")
        }
    }

    func testAnHTMLDoctypeBeforeAFeedRootIsStillAFeed() throws {
        let feed = Data(
            #"<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x"><rss><channel><title>trouvé</title></channel></rss>"#
                .utf8)
        XCTAssertEqual(try FeedParser().parse(feed).title, "trouvé")
        // HTML5 may leave out <html>: a doctype and any other root is still a page.
        let page = Data("<!DOCTYPE html><title>Accueil</title><p>Bonjour".utf8)
        XCTAssertThrowsError(try FeedParser().parse(page)) { error in
            XCTAssertEqual((error as? FeedParseError)?.description, "not an RSS, Atom, RDF or JSON feed: an HTML page")
        }
    }

    func testAFeedInANamespaceOfItsOwnIsAtom() throws {
        let feed = try FeedParser().parse(
            Data(
                #"<feed version="0.3" xmlns="http://example.com/newformat#"><title>Atom ?</title><entry><title>e</title></entry></feed>"#
                    .utf8))
        XCTAssertEqual(feed.format, .atom03)
        XCTAssertEqual(feed.title, "Atom ?")
        XCTAssertEqual(feed.items.map(\.title), ["e"])
    }

    func testOtherXMLVocabularyIsNotAFeed() {
        let svg = Data(#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><title>x</title></svg>"#.utf8)
        XCTAssertThrowsError(try FeedParser().parse(svg)) { error in
            XCTAssertEqual(
                (error as? FeedParseError)?.description, "not an RSS, Atom, RDF or JSON feed: the root element is <svg>"
            )
        }
    }

    func testEmptyTextAndGarbageNeverCrash() {
        let inputs: [Data] = [
            Data(), Data("   ".utf8), Data("plain text".utf8), Data([0xFF, 0xFE]), Data([0x00, 0x00, 0x00]),
            Data("<".utf8), Data("<rss".utf8), Data("<rss><channel><item><title>a".utf8), Data("{".utf8),
            Data(#"{"version":"https://jsonfeed.org/version/1.1","items":[{"id":{}}]}"#.utf8),
            Data(
                "<?xml version=\"1.0\" encoding=\"no-such-charset\"?><rss><channel><title>t</title></channel></rss>"
                    .utf8),
            Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }),
        ]
        for input in inputs {
            _ = try? FeedParser().parse(input)
        }
        let truncated = try? FeedParser().parse(Data("<rss><channel><item><title>coupé".utf8))
        XCTAssertEqual(truncated?.items.first?.title, "coupé")
    }
}
