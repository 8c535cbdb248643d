import FeedParser
import Foundation
import XCTest

final class OPMLDocumentTests: XCTestCase {
    func testNestedOutlinesBecomeFeedsWithTheirFolderPath() throws {
        let document = try OPMLDocument.parse(Fixture.data("subscriptions.opml"))
        XCTAssertEqual(
            document,
            OPMLDocument(
                title: "Veille OF — abonnements",
                outlines: [
                    OPMLFeedOutline(
                        url: "https://www.centre-inffo.example/feed", title: "Centre Inffo",
                        htmlURL: "https://www.centre-inffo.example/", categories: ["Institutions"]),
                    OPMLFeedOutline(
                        url: "https://travail-emploi.gouv.example/rss.xml", title: "Travail",
                        categories: ["Institutions", "Ministères"]),
                    OPMLFeedOutline(url: "https://www.example-cfa.fr/blog/atom.xml", title: "Blog CFA"),
                ]))
    }

    func testOPML10WithoutHead() throws {
        let data = Data(
            #"<opml version="1.0"><body><outline title="A" xmlUrl="https://a.example/rss"/></body></opml>"#.utf8)
        XCTAssertEqual(
            try OPMLDocument.parse(data),
            OPMLDocument(outlines: [OPMLFeedOutline(url: "https://a.example/rss", title: "A")]))
    }

    func testQueryStringsKeepTheirAmpersands() throws {
        let data = Data(
            #"<opml version="2.0"><body><outline text="Veille &amp; IA" xmlUrl="https://a.example/rss?lang=fr&amp;cat=cpf"/></body></opml>"#
                .utf8)
        XCTAssertEqual(
            try OPMLDocument.parse(data).outlines,
            [OPMLFeedOutline(url: "https://a.example/rss?lang=fr&cat=cpf", title: "Veille & IA")])
    }

    func testAFeedIsNotOPML() {
        XCTAssertThrowsError(try OPMLDocument.parse(Fixture.data("rdf-rss10.xml"))) { error in
            XCTAssertEqual((error as? FeedParseError)?.description, "not an OPML document: the root element is <RDF>")
        }
    }

    func testAttributesInANamespaceAreFoundByItsURIWhateverThePrefix() throws {
        let data = Data(
            """
            <opml version="2.0" xmlns:rw="https://example.org/settings" xmlns:x="https://example.org/other"><body>
            <outline rw:title="//h2" title="Centre Inffo" rw:weight="2" x:weight="9" xmlUrl="https://a.example/rss"/>
            <outline xmlns:s="https://example.org/settings" s:weight="3" text="B" xmlUrl="https://b.example/rss"/>
            </body></opml>
            """.utf8)
        let outlines = try OPMLDocument.parse(data).outlines
        XCTAssertEqual(
            outlines,
            [
                OPMLFeedOutline(
                    url: "https://a.example/rss", title: "Centre Inffo",
                    namespacedAttributes: [
                        "https://example.org/settings": ["title": "//h2", "weight": "2"],
                        "https://example.org/other": ["weight": "9"],
                    ]),
                OPMLFeedOutline(
                    url: "https://b.example/rss", title: "B",
                    namespacedAttributes: ["https://example.org/settings": ["weight": "3"]]),
            ])
        XCTAssertEqual(outlines[1].attributes(inNamespace: "https://example.org/settings"), ["weight": "3"])
        XCTAssertEqual(outlines[1].attributes(inNamespace: "https://example.org/other"), [:])
    }

    func testLinkOutlinesAreEntriesButNotFeeds() throws {
        let data = Data(
            """
            <opml version="2.0"><body><outline text="Officiel">
            <outline type="rss" text="Travail" xmlUrl="https://t.example/rss.xml"/>
            <outline type="LINK" text="Ministère" url=" https://t.example/ " category="Qualiopi"/>
            <outline type="link" text="Guide" htmlUrl="https://t.example/guide"/>
            <outline type="link" text="Sans adresse"/>
            </outline></body></opml>
            """.utf8)
        let document = try OPMLDocument.parse(data)
        let feed = OPMLFeedOutline(url: "https://t.example/rss.xml", title: "Travail", categories: ["Officiel"])
        XCTAssertEqual(document.outlines, [feed])
        XCTAssertEqual(
            document.entries,
            [
                feed,
                OPMLFeedOutline(
                    url: "https://t.example/", title: "Ministère", categories: ["Officiel", "Qualiopi"], isLink: true),
                OPMLFeedOutline(
                    url: "https://t.example/guide", title: "Guide", htmlURL: "https://t.example/guide",
                    categories: ["Officiel"], isLink: true),
            ])
    }
}
