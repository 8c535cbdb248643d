import FeedParser
import Foundation
import XCTest

final class FeedLinksTests: XCTestCase {
    private let page = """
        <!DOCTYPE html>
        <html lang="fr"><head>
        <meta charset="utf-8">
        <title>Centre Inffo</title>
        <link rel="stylesheet" href="/style.css">
        <link rel="alternate" type="application/rss+xml" title="Centre Inffo &raquo; Flux" href="/feed/">
        <LINK REL="Alternate" TYPE="application/atom+xml" HREF="https://www.centre-inffo.example/atom.xml" TITLE="Atom">
        <link rel="alternate" type="application/rss+xml" title="Centre Inffo &raquo; Flux des commentaires" href="comments/feed/">
        <link rel="alternate" type="application/feed+json" href="/feed.json">
        <link rel="alternate" hreflang="en" href="/en/">
        <link rel="alternate" type="application/rss+xml" href="/feed/">
        </head><body><p>Bienvenue</p></body></html>
        """

    func testAlternateFeedsInDocumentOrderWithRelativeHrefsResolved() {
        let found = FeedLinks.alternateFeeds(
            inHTML: Data(page.utf8), baseURL: URL(string: "https://www.centre-inffo.example/actualites/")!)
        XCTAssertEqual(
            found,
            [
                DiscoveredFeed(
                    url: "https://www.centre-inffo.example/feed/", title: "Centre Inffo » Flux",
                    type: "application/rss+xml"),
                DiscoveredFeed(
                    url: "https://www.centre-inffo.example/atom.xml", title: "Atom", type: "application/atom+xml"),
                DiscoveredFeed(
                    url: "https://www.centre-inffo.example/actualites/comments/feed/",
                    title: "Centre Inffo » Flux des commentaires", type: "application/rss+xml"),
                DiscoveredFeed(
                    url: "https://www.centre-inffo.example/feed.json", title: nil, type: "application/feed+json"),
            ])
    }

    func testPageWithoutFeedsFindsNothing() {
        XCTAssertEqual(
            FeedLinks.alternateFeeds(
                inHTML: Data("<html><body>rien</body></html>".utf8), baseURL: URL(string: "https://a.example/")!), [])
    }

    func testSniffingTellsPagesFromFeeds() throws {
        XCTAssertTrue(FeedLinks.isHTMLPage(Data(page.utf8)))
        XCTAssertFalse(FeedLinks.looksLikeFeed(Data(page.utf8)))
        for name in [
            "wordpress-rss2.xml", "rdf-rss10.xml", "atom-xhtml-base.xml", "utf16-atom.xml", "jsonfeed-1.1.json",
        ] {
            XCTAssertTrue(FeedLinks.looksLikeFeed(try Fixture.data(name)), name)
            XCTAssertFalse(FeedLinks.isHTMLPage(try Fixture.data(name)), name)
        }
        XCTAssertTrue(FeedLinks.isHTMLPage(Data("\n  <html><head></head></html>".utf8)))
        XCTAssertFalse(FeedLinks.looksLikeFeed(Data(#"{"name":"pas un flux"}"#.utf8)))
    }
}
