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
}
