@testable import FeedParser
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

    func testPlainLinksGetTheCanonicalFormURLComponentsGives() {
        let links = [
            "https://www.centre-inffo.fr/actualite/decret-2025-123", "http://sydologie.com",
            "https://travail-emploi.gouv.fr/", "https://a.b/c/d.html", "https://ex.fr/caf%C3%A9/x",
            "https://ex.fr/a(b)_c~d!e$f&g'h*i+j,k;l=m:n@o", "https://ex.fr//double//slash",
            "https://127.0.0.1/feed", "https://xn--caf-dma.fr/a",
            // Not plain: decided by URLComponents.
            "https://Ex.fr/a", "HTTPS://ex.fr/a", "https://ex.fr:443/a", "https://ex.fr:8080/a",
            "https://user@ex.fr/a", "https://ex.fr/a?utm_source=x", "https://ex.fr/a?id=1", "https://ex.fr/a#frag",
            "https://ex.fr/a b", " https://ex.fr/a", "https://ex.fr/a ", "https://ex.fr/%zz", "https://ex.fr/%4",
            "https://ex.fr/é", "https://ex..fr/a", "https://.ex.fr/a", "https://ex.fr./a", "https://-ex.fr/a",
            "https://ex-.fr/a", "https:///a", "https://", "http:/ex.fr/a", "ftp://ex.fr/a", "https://ex.fr/a|b",
            "https://ex.fr/a\"b", "https://ex.fr/a<b>", "https://ex.fr/a[1]", "https://ex.fr/a{b}", "https://ex.fr/a^b",
            "https://ex.fr/a`b", "https://ex.fr/a\\b", "https://ex_1.fr/a",
        ]
        var plain = 0
        for link in links {
            XCTAssertEqual(CanonicalLink.canonicalize(link), CanonicalLink.parsedCanonicalForm(link), link)
            if let form = CanonicalLink.plainCanonicalForm(link) {
                XCTAssertEqual(form, CanonicalLink.parsedCanonicalForm(link), link)
                plain += 1
            }
        }
        // The fast path is taken where it should be (the first nine).
        XCTAssertEqual(plain, 9)
    }
}
