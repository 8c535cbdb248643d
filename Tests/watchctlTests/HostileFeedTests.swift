import Foundation
import TestSupport
import XCTest

/// Hostile feeds through the whole poll path: one `watchctl poll --json` (a real child
/// process, under `/usr/bin/time -v`) of a config listing every attack served from a
/// loopback server, plus one healthy feed. Each attack must end in a bounded, one-line
/// per-feed error or a best-effort parse; the healthy feed is stored; memory stays bounded.
///
/// The poll runs once for the class (it is the expensive part); each test checks one case.
final class HostileFeedTests: XCTestCase {
    /// The shared poll: the server stays up so tests can read its request log.
    struct Fixture: Sendable {
        let watchctl: WatchctlFixture
        let database: URL
        let run: Hostile.MeasuredRun
        let summary: Hostile.Summary
        let secret: String

        var server: LoopbackHTTPServer { watchctl.server }
        func url(_ path: String) -> String { watchctl.url(path) }

        /// Items stored for the feed served at `path`.
        func stored(_ path: String, _ column: String = "count(*)") throws -> String {
            try Hostile.sqlite(
                database,
                "SELECT \(column) FROM item WHERE feedId = (SELECT id FROM feed WHERE url = '\(url(path))')")
        }
    }

    /// Items of the huge feed: 20 000 in `make test` (storing costs ~1.5 ms an item in a debug
    /// build on this machine), 100 000 under `make reliability` (REGWATCH_HOSTILE_ITEMS).
    static let itemCount = Int(ProcessInfo.processInfo.environment["REGWATCH_HOSTILE_ITEMS"] ?? "") ?? 20_000
    static let secretText = "SECRET-7d1f-mot-de-passe-de-la-paie"

    nonisolated(unsafe) static var fixture: Fixture?
    nonisolated(unsafe) static var setupError: (any Error)?

    override class func setUp() {
        super.setUp()
        do { fixture = try makeFixture() } catch { setupError = error }
    }

    override class func tearDown() {
        fixture?.watchctl.remove()
        fixture = nil
        super.tearDown()
    }

    private func given() throws -> Fixture {
        if let error = Self.setupError { throw error }
        return try XCTUnwrap(Self.fixture)
    }

    // MARK: - The documents

    static func rss(_ body: String, doctype: String = "") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        \(doctype)<rss version="2.0"><channel><title>Flux hostile</title><link>https://www.example.org/</link>
        \(body)
        </channel></rss>
        """
    }

    static let healthy = rss(
        """
        <item><title>Qualiopi : le guide de lecture du référentiel national qualité mis à jour</title>
        <link>https://travail-emploi.gouv.fr/qualiopi-guide</link><guid isPermaLink="false">sain-1</guid>
        <pubDate>Tue, 02 Dec 2025 10:00:00 +0100</pubDate><description>Version 9 du guide.</description></item>
        <item><title>CPF : la participation forfaitaire revalorisée</title><guid isPermaLink="false">sain-2</guid>
        <pubDate>Wed, 03 Dec 2025 10:00:00 +0100</pubDate></item>
        """)

    static func makeFixture() throws -> Fixture {
        let watchctl = try WatchctlFixture(prefix: "regwatch-hostile")
        let server = watchctl.server
        let secretFile = try watchctl.directory.write(secretText + "\n", to: "secret.txt")
        let base = "http://127.0.0.1:\(server.port)"
        var paths: [String] = []
        func serve(_ path: String, _ response: LoopbackHTTPServer.Response) {
            paths.append(path)
            server.route(path) { _ in response }
        }
        func xml(_ text: String, type: String = "application/rss+xml; charset=utf-8") -> LoopbackHTTPServer.Response {
            .init(headers: ["Content-Type": type], text: text)
        }
        func bytes(_ data: Data, type: String = "application/rss+xml") -> LoopbackHTTPServer.Response {
            .init(headers: ["Content-Type": type], body: data)
        }

        serve("/sain.xml", xml(healthy))

        // XXE: an external entity naming a local file, and one naming a URL on our server.
        serve(
            "/xxe-fichier.xml",
            xml(
                rss(
                    "<item><title>Avant &xxe; après</title><guid>xxe-1</guid><description>&xxe;</description></item>",
                    doctype: "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://\(secretFile.path)\">]>\n")))
        serve(
            "/xxe-url.xml",
            xml(
                rss(
                    "<item><title>Fuite &fuite;</title><guid>xxe-2</guid></item>",
                    doctype: "<!DOCTYPE rss [<!ENTITY fuite SYSTEM \"\(base)/collecte?xxe=url\">]>\n")))
        // External DTD and a parameter entity pulling in a remote DTD.
        serve(
            "/dtd-externe.xml",
            xml(
                rss(
                    "<item><title>DTD &ent;</title><guid>dtd-1</guid></item>",
                    doctype: "<!DOCTYPE rss SYSTEM \"\(base)/mal.dtd\">\n")))
        serve(
            "/dtd-parametre.xml",
            xml(
                rss(
                    "<item><title>Paramètre</title><guid>dtd-2</guid></item>",
                    doctype: "<!DOCTYPE rss [<!ENTITY % distant SYSTEM \"\(base)/param.dtd\"> %distant;]>\n")))

        // Billion laughs (10^9 "lol") and quadratic blow-up (50 000 bytes × 20 000 references).
        var laughs = "<!ENTITY lol0 \"lol\">"
        for level in 1...9 {
            laughs += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }
        serve(
            "/milliard-de-rires.xml",
            xml(
                rss(
                    "<item><title>&lol9;</title><guid>rires-1</guid><description>&lol9;</description></item>",
                    doctype: "<!DOCTYPE rss [\(laughs)]>\n")))
        serve(
            "/quadratique.xml",
            xml(
                rss(
                    "<item><title>Quadratique</title><guid>quad-1</guid><description>"
                        + String(repeating: "&a;", count: 20_000) + "</description></item>",
                    doctype: "<!DOCTYPE rss [<!ENTITY a \"" + String(repeating: "a", count: 50_000) + "\">]>\n")))

        // 200 MiB bodies, generated while sending: announced, and chunked with no length.
        let block = Data(String(repeating: "<item><title>x</title></item>\n", count: 2_185).utf8)  // 65 555 bytes
        let repetitions = 200 * 1024 * 1024 / block.count + 1
        var announced = bytes(block)
        announced.repetitions = repetitions
        serve("/200-mo.xml", announced)
        var chunked = LoopbackHTTPServer.Response(
            headers: ["Content-Type": "application/rss+xml", "Transfer-Encoding": "chunked"], body: block)
        chunked.repetitions = repetitions
        serve("/200-mo-chunked.xml", chunked)

        // A gzip bomb: 256 MiB of zeros compressed to a few hundred KiB.
        let bomb = try gzipOfZeros(megabytes: 256)
        serve(
            "/bombe.xml",
            .init(
                headers: ["Content-Type": "application/rss+xml", "Content-Encoding": "gzip"], body: bomb))

        // Invalid UTF-8 and NUL bytes in a document that declares UTF-8.
        var broken = Data(
            rss(
                "<item><title>Décret XX</title><guid>utf-1</guid></item>\n<item><title>YY</title><guid>utf-2</guid></item>"
            ).utf8)
        broken = replace(broken, "XX", with: [0xC3, 0x28, 0xFF, 0xFE, 0xE9])
        broken = replace(broken, "YY", with: [0xED, 0xA0, 0x80, 0xF8, 0x88, 0x80, 0x80, 0x80])
        serve("/utf8-invalide.xml", bytes(broken))
        var nul = Data(
            rss(
                "<item><title>Nul ZZ au milieu</title><guid>nul-1</guid></item>ZZ<item><title>Suite</title><guid>nul-2</guid></item>"
            ).utf8)
        nul = replace(nul, "ZZ", with: [0, 0, 0])
        nul = replace(nul, "ZZ", with: [0])
        serve("/octets-nuls.xml", bytes(nul))
        // JSON escapes can carry what XML cannot: \u0000 and other C0 controls.
        serve(
            "/octets-nuls.json",
            xml(
                #"{"version": "https://jsonfeed.org/version/1.1", "title": "Nul\u0000JSON", "items": ["#
                    + #"{"id": "nul-json-1", "title": "Avant\u0000après\u0007", "content_text": "Intelligence\u0000 et formation\u001b[31m"}]}"#,
                type: "application/feed+json"))

        // 100 000 items, 1 MB-and-more titles, 100 000 nested elements.
        var many = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Cent mille</title>"
        many.reserveCapacity(itemCount * 60)
        for n in 0..<itemCount { many += "<item><title>Avis \(n)</title><guid>n\(n)</guid></item>\n" }
        many += "</channel></rss>"
        serve("/cent-mille.xml", xml(many))
        serve(
            "/titres-geants.xml",
            xml(
                rss(
                    "<item><title>" + String(repeating: "Formation ", count: 100_000)
                        + "</title><guid>geant-1</guid></item>"
                        + "<item><title>" + String(repeating: "é", count: 800_000)
                        + "</title><guid>geant-2</guid></item>")))
        serve(
            "/imbrique.xml",
            xml(
                rss(
                    "<item><title>Avant l'abîme</title><guid>prof-1</guid></item>"
                        + String(repeating: "<div>", count: 100_000) + "fond"
                        + String(repeating: "</div>", count: 100_000)
                        + "<item><title>Après l'abîme</title><guid>prof-2</guid></item>")))

        // Broken servers: an HTML error page with 200, a truncated document, a transfer cut
        // short of its Content-Length, a reset mid-body, a feed with a wrong Content-Type.
        serve(
            "/erreur-html.xml",
            xml(
                "<!doctype html><html><head><title>Erreur 500</title></head><body><h1>Service indisponible</h1>"
                    + "<p>Veuillez réessayer plus tard.</p></body></html>", type: "text/html; charset=utf-8"))
        let truncatedDocument = String(healthy.prefix(healthy.count * 2 / 3))
        serve("/document-tronque.xml", xml(truncatedDocument))
        serve(
            "/transfert-coupe.xml",
            .init(
                headers: ["Content-Type": "application/rss+xml"], body: Data(healthy.utf8),
                cut: .close(afterBodyBytes: 300)))
        serve(
            "/reset.xml",
            .init(
                headers: ["Content-Type": "application/rss+xml"], body: Data(healthy.utf8),
                cut: .reset(afterBodyBytes: 300)))
        serve("/mauvais-type.xml", xml(healthy.replacingOccurrences(of: "sain-", with: "type-"), type: "image/png"))

        var tables = """
            [storage]
            database = "state/regwatch.sqlite"

            """
        for path in paths { tables += "\n[[feeds]]\nurl = \"\(base)\(path)\"\n" }
        let configFile = try watchctl.writeConfig(tables, fetch: "concurrency = 8\nper_host = 8\ntimeout = \"60s\"")
        let started = ContinuousClock.now
        let run = try Hostile.measured(["--config", configFile.path, "poll", "--json"], in: watchctl.directory.url)
        print(
            "hostile poll: \(paths.count) feeds in \(ContinuousClock.now - started), peak RSS \(run.peakKiB) KiB, stderr: \(run.stderr.prefix(300))"
        )
        let summary = try Hostile.Summary(run.stdout)
        return Fixture(
            watchctl: watchctl, database: watchctl.file("state/regwatch.sqlite"), run: run, summary: summary,
            secret: secretText)
    }

    static func replace(_ data: Data, _ marker: String, with bytes: [UInt8]) -> Data {
        guard let range = data.range(of: Data(marker.utf8)) else { return data }
        var copy = data
        copy.replaceSubrange(range, with: bytes)
        return copy
    }

    /// `head -c N /dev/zero | gzip -1`, so the test never holds the uncompressed bytes.
    static func gzipOfZeros(megabytes: Int) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "head -c \(megabytes)M /dev/zero | gzip -1 -c"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    // MARK: - The checks

    func testThePollRunsToItsEndAndReportsEveryFeed() throws {
        let f = try given()
        XCTAssertEqual(f.run.status, 0, f.run.stderr)
        XCTAssertEqual(f.summary.feeds, 21)
        XCTAssertEqual(f.summary.ok + f.summary.failed, 21, "every feed has an outcome")
    }

    func testTheHealthyFeedInTheSamePollIsStored() throws {
        let f = try given()
        XCTAssertNil(f.summary.errors[f.url("/sain.xml")])
        XCTAssertEqual(try f.stored("/sain.xml"), "2")
    }

    func testEveryPerFeedErrorIsOneBoundedLineNamingTheFeed() throws {
        let f = try given()
        XCTAssertFalse(f.summary.errors.isEmpty)
        for (url, error) in f.summary.errors {
            XCTAssertFalse(error.contains("\n"), "\(url): \(error)")
            XCTAssertLessThan(error.utf8.count, 400, "\(url): \(error)")
            XCTAssertTrue(
                error.contains(url) || error.contains(String(url.split(separator: "/").last!)), "\(url): \(error)")
        }
    }

    func testXXEToALocalFileNeverReadsIt() throws {
        let f = try given()
        let leaked = try Hostile.sqlite(
            f.database,
            "SELECT count(*) FROM item WHERE instr(coalesce(title,'') || coalesce(summary,'') || coalesce(content,''), '\(f.secret)') > 0"
        )
        XCTAssertEqual(leaked, "0", "the secret file's contents reached the store")
        XCTAssertNil(f.summary.errors[f.url("/xxe-fichier.xml")], "best effort: the item is kept without the entity")
        XCTAssertEqual(try f.stored("/xxe-fichier.xml"), "1")
    }

    func testXXEToAURLAndExternalDTDsAreNeverFetched() throws {
        let f = try given()
        XCTAssertEqual(f.server.requestCount(path: "/collecte"), 0, "the external entity's URL was fetched")
        XCTAssertEqual(f.server.requestCount(path: "/mal.dtd"), 0, "the external DTD was fetched")
        XCTAssertEqual(f.server.requestCount(path: "/param.dtd"), 0, "the parameter entity's DTD was fetched")
        for path in ["/xxe-url.xml", "/dtd-externe.xml", "/dtd-parametre.xml"] {
            XCTAssertEqual(f.server.requestCount(path: path), 1, path)
            XCTAssertNil(f.summary.errors[f.url(path)], path)
            XCTAssertEqual(try f.stored(path), "1", path)
        }
    }

    func testEntityExpansionIsNeverPerformed() throws {
        let f = try given()
        for path in ["/milliard-de-rires.xml", "/quadratique.xml"] {
            let longest = try f.stored(path, "max(length(coalesce(title,'')) + length(coalesce(summary,'')))")
            XCTAssertLessThan(Int(longest) ?? .max, 1_100_000, path)
        }
        XCTAssertEqual(
            try Hostile.sqlite(
                f.database, "SELECT count(*) FROM item WHERE instr(coalesce(summary,''), 'lollollol') > 0"),
            "0", "an entity was expanded")
    }

    func testA200MegabyteBodyStopsAtMaxBytes() throws {
        let f = try given()
        for path in ["/200-mo.xml", "/200-mo-chunked.xml"] {
            let error = try XCTUnwrap(f.summary.errors[f.url(path)], path)
            XCTAssertTrue(error.contains("max_bytes"), "\(path): \(error)")
            XCTAssertEqual(try f.stored(path), "0", path)
        }
    }

    func testAGzipBombStopsAtMaxBytesAfterDecompression() throws {
        let f = try given()
        let error = try XCTUnwrap(f.summary.errors[f.url("/bombe.xml")])
        XCTAssertTrue(error.contains("max_bytes"), error)
    }

    func testInvalidUTF8IsRepairedAndStoredAsValidText() throws {
        let f = try given()
        XCTAssertNil(f.summary.errors[f.url("/utf8-invalide.xml")])
        XCTAssertEqual(try f.stored("/utf8-invalide.xml"), "2")
        let hex = try f.stored("/utf8-invalide.xml", "hex(title)").split(separator: "\n")
        for value in hex {
            var data = Data()
            var index = value.startIndex
            while index < value.endIndex {
                let next = value.index(index, offsetBy: 2)
                data.append(UInt8(value[index..<next], radix: 16)!)
                index = next
            }
            XCTAssertNotNil(String(data: data, encoding: .utf8), "stored title is not valid UTF-8: \(value)")
        }
    }

    func testNULBytesNeverReachTheStore() throws {
        let f = try given()
        let error = f.summary.errors[f.url("/octets-nuls.xml")]
        if error == nil {
            XCTAssertGreaterThanOrEqual(Int(try f.stored("/octets-nuls.xml")) ?? 0, 1, "best effort keeps an item")
        }
        XCTAssertEqual(
            try Hostile.sqlite(
                f.database,
                "SELECT count(*) FROM item WHERE instr(CAST(title AS BLOB), x'00') + instr(CAST(summary AS BLOB), x'00') "
                    + "+ instr(CAST(content AS BLOB), x'00') > 0"), "0")
        // The text after a NUL is kept, not cut off as a C string would be.
        XCTAssertEqual(
            try f.stored("/octets-nuls.json", "item.title || ' | ' || item.summary"),
            "Avantaprès | Intelligence et formation[31m")
    }

    func testAHugeFeedIsStoredWhole() throws {
        let f = try given()
        XCTAssertNil(f.summary.errors[f.url("/cent-mille.xml")])
        XCTAssertEqual(try f.stored("/cent-mille.xml"), String(Self.itemCount))
    }

    func testMegabyteTitlesAreCappedAtTheFieldLimit() throws {
        let f = try given()
        XCTAssertNil(f.summary.errors[f.url("/titres-geants.xml")])
        XCTAssertEqual(try f.stored("/titres-geants.xml"), "2")
        let longest = Int(try f.stored("/titres-geants.xml", "max(length(CAST(title AS BLOB)))")) ?? .max
        XCTAssertLessThanOrEqual(longest, 1024 * 1024, "per-field cap is 1 MiB")
    }

    func testDeeplyNestedElementsKeepTheItemsBeforeThem() throws {
        let f = try given()
        if let error = f.summary.errors[f.url("/imbrique.xml")] {
            XCTFail("nesting should give a best-effort parse, got: \(error)")
        }
        let titles = try f.stored("/imbrique.xml", "title")
        XCTAssertTrue(titles.contains("Avant l'abîme"), titles)
    }

    func testAnHTMLErrorPageServedWith200IsAFeedError() throws {
        let f = try given()
        XCTAssertNotNil(f.summary.errors[f.url("/erreur-html.xml")])
        XCTAssertEqual(try f.stored("/erreur-html.xml"), "0")
    }

    func testATruncatedDocumentKeepsItsCompleteItems() throws {
        let f = try given()
        XCTAssertNil(f.summary.errors[f.url("/document-tronque.xml")])
        XCTAssertEqual(try f.stored("/document-tronque.xml"), "1")
        XCTAssertEqual(try f.stored("/document-tronque.xml", "guid LIKE '%sain-1'"), "1")
    }

    func testACutOrResetTransferIsAFeedErrorAndStoresNothing() throws {
        let f = try given()
        for path in ["/transfert-coupe.xml", "/reset.xml"] {
            XCTAssertNotNil(f.summary.errors[f.url(path)], path)
            XCTAssertEqual(try f.stored(path), "0", "half a transfer is not stored: \(path)")
        }
    }

    func testAWrongContentTypeDoesNotStopAFeedFromParsing() throws {
        let f = try given()
        XCTAssertNil(f.summary.errors[f.url("/mauvais-type.xml")])
        XCTAssertEqual(try f.stored("/mauvais-type.xml"), "2")
    }

    func testPeakMemoryStaysFarBelowTheHostileSizes() throws {
        let f = try given()
        XCTAssertGreaterThan(f.run.peakKiB, 0, "no rusage from /usr/bin/time")
        // 200 MiB bodies, a 256 MiB bomb and 10^9 laughs: none of them may be held.
        XCTAssertLessThan(f.run.peakKiB, 400 * 1024, "peak RSS \(f.run.peakKiB) KiB")
    }

    func testTheDatabaseIsSoundAfterTheHostilePoll() throws {
        let f = try given()
        XCTAssertEqual(try Hostile.sqlite(f.database, "PRAGMA integrity_check"), "ok")
    }
}
