import FeedParser
import RegWatch
import XCTest

/// Links as French sites publish them in feeds, and the form the store compares.
final class CanonicalLinkTests: XCTestCase {
    func testTrackingParametersAreRemovedAndOthersKeptInOrder() {
        XCTAssertEqual(
            CanonicalLink.canonicalize(
                "https://www.centre-inffo.fr/actu?utm_source=rss&utm_medium=rss&utm_campaign=cpf&id=42&page=2"),
            "https://www.centre-inffo.fr/actu?id=42&page=2")
        XCTAssertEqual(
            CanonicalLink.canonicalize(
                "https://travail-emploi.gouv.fr/article?xtor=RSS-1&fbclid=IwAR0&gclid=x&mc_cid=a&mc_eid=b"),
            "https://travail-emploi.gouv.fr/article")
        XCTAssertEqual(
            CanonicalLink.canonicalize("https://example.org/?UTM_SOURCE=x&q=caf%C3%A9"),
            "https://example.org/?q=caf%C3%A9")
    }

    func testSchemeAndHostAreLowercasedButNotThePath() {
        XCTAssertEqual(
            CanonicalLink.canonicalize("HTTPS://WWW.Digiformag.COM/Qualiopi-Audit/"),
            "https://www.digiformag.com/Qualiopi-Audit/")
    }

    func testFragmentAndDefaultPortAreDroppedAndAnEmptyPathIsSlash() {
        XCTAssertEqual(
            CanonicalLink.canonicalize("https://sydologie.com:443/article#comments"), "https://sydologie.com/article")
        XCTAssertEqual(CanonicalLink.canonicalize("http://sydologie.com:80"), "http://sydologie.com/")
        XCTAssertEqual(CanonicalLink.canonicalize("http://sydologie.com:8080/a"), "http://sydologie.com:8080/a")
    }

    func testNonWebLinksHaveNoCanonicalForm() {
        XCTAssertNil(CanonicalLink.canonicalize(nil))
        XCTAssertNil(CanonicalLink.canonicalize("  "))
        XCTAssertNil(CanonicalLink.canonicalize("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"))
        XCTAssertNil(CanonicalLink.canonicalize("javascript:alert(1)"))
        XCTAssertNil(CanonicalLink.canonicalize("/relative/path"))
    }
}
