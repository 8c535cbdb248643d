import FeedParser
import Foundation
import Logging
import RegWatch
import Synchronization
import TestSupport
import XCTest

/// `kind = "page"`: listing pages shaped like the French public sites, served by the loopback
/// server, detected and read through the real path (libcurl → libxml2's HTML parser and XPath →
/// SQLite file).
final class PageSourceTests: LoopbackStoreTestCase {
    static func fixture(_ name: String) throws -> Data {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/pages/\(name)", withExtension: "html"))
        return try Data(contentsOf: url)
    }

    /// Title, link and dates of an item, as one comparable value.
    struct Seen: Equatable, CustomStringConvertible {
        var title: String?
        var link: String?
        var published: String?
        var updated: String? = nil
        var description: String { "\(title ?? "-") | \(link ?? "-") | \(published ?? "-") | \(updated ?? "-")" }
    }

    static func seen(_ feed: Feed) -> [Seen] {
        feed.items.map {
            Seen(
                title: $0.title, link: $0.link, published: $0.published.map(FeedJSON.timestamp),
                updated: $0.updated.map(FeedJSON.timestamp))
        }
    }

    func fetch(_ path: String) async throws -> FetchedPage {
        let preview = try await PagePreview.load(
            server.url(for: path), recipe: nil, fetch: .init(allowPrivateNetworks: true))
        return FetchedPage(preview: preview)
    }

    struct FetchedPage {
        let preview: PagePreview
        var items: [Seen] { PageSourceTests.seen(preview.feed) }
    }

    // MARK: detection and extraction, one site shape each

    func testStateDesignSystemCardsAreDetectedOutsideHeaderBreadcrumbPaginationAndFooter() async throws {
        server.route(
            path: "/actualites/", document: try Self.fixture("dsfr-cards"), contentType: "text/html; charset=utf-8")
        let page = try await fetch("/actualites/")
        let base = server.url(for: "/").absoluteString.dropLast()
        XCTAssertTrue(page.preview.detected)
        XCTAssertEqual(page.preview.feed.title, "Actualités | France compétences")
        XCTAssertEqual(
            page.items,
            [
                Seen(
                    title:
                        "Niveaux de prise en charge des contrats d'apprentissage : la décision du conseil d'administration",
                    link: "\(base)/actualites/decision-niveaux-prise-en-charge-2027/",
                    published: "2026-12-02T12:00:00Z"),  // "Publié le", not the "1er janvier 2027" of the text
                Seen(
                    title: "Rapport sur l'usage du compte personnel de formation en 2026",
                    link: "\(base)/actualites/rapport-usage-cpf-2026/?xtor=RSS-1", published: "2026-12-01T12:00:00Z"),
                Seen(
                    title: "Appel à projets : certifications et intelligence artificielle",
                    link: "https://www.francecompetences.fr/actualites/appel-a-projets-certification-ia/",
                    published: "2026-11-27T12:00:00Z", updated: "2026-12-03T12:00:00Z"),
                Seen(
                    title: "Répertoire spécifique : les enregistrements de novembre",
                    link: "\(base)/actualites/repertoire-specifique-enregistrements-novembre/", published: nil),
            ])
        XCTAssertEqual(
            page.preview.feed.items.first?.summary,
            "Le conseil d'administration a adopté les recommandations sur les niveaux de prise en charge applicables au 1er janvier 2027."
        )
    }

    func testDrupalViewsRowsResolveLinksAgainstTheBaseElement() async throws {
        server.route(
            path: "/actualites", document: try Self.fixture("drupal-views"), contentType: "text/html; charset=utf-8")
        let page = try await fetch("/actualites")
        XCTAssertEqual(
            page.preview.recipe.items,
            "//div[contains(concat(' ', normalize-space(@class), ' '), ' view-content ')]/div[contains(concat(' ', normalize-space(@class), ' '), ' views-row ')]"
        )
        XCTAssertEqual(
            page.items,
            [
                Seen(
                    title: "Prise en charge 2027 : les nouveaux plafonds pour les actions de formation",
                    link: "https://www.monopco.example/actualites/prise-en-charge-2027-nouveaux-plafonds",
                    published: "2026-12-03T09:30:00Z"),
                Seen(
                    title: "Webinaire : la veille réglementaire de l'indicateur 23 Qualiopi",
                    link: "https://www.monopco.example/actualites/webinaire-qualiopi-indicateur-23",
                    published: "2026-11-28T08:00:00Z"),
                Seen(
                    title: "Handicap et neurodiversité : le rôle des référents en formation",
                    link: "https://www.monopco.example/actualites/handicap-referents-formation",
                    published: "2026-11-20T00:00:00Z"),
            ])
    }

    func testWordPressArchiveInLatin1SkipsTheMenuAndTheRecentPostsWidget() async throws {
        // No charset in the header: the page's <meta charset="ISO-8859-1"> is read.
        server.route(
            path: "/category/actualites/", document: try Self.fixture("wordpress-archive"), contentType: "text/html")
        let page = try await fetch("/category/actualites/")
        XCTAssertEqual(page.preview.feed.title, "Actualités – Réseau des Carif-Oref")
        XCTAssertEqual(
            page.items,
            [
                Seen(
                    title: "Réforme de la certification Qualiopi : ce qui change en 2027",
                    link: "https://www.reseau.example/2026/12/04/reforme-certification-qualiopi/",
                    published: "2026-12-04T09:15:00Z"),
                Seen(
                    title: "Le dispositif Pro-A prolongé jusqu'en 2027 pour les salariés",
                    link: "https://www.reseau.example/2026/11/30/dispositif-pro-a-2027/",
                    published: "2026-11-30T07:00:00Z"),
                Seen(
                    title: "Intelligence artificielle et formation ouverte à distance : un guide",
                    link: "https://www.reseau.example/2026/11/18/ia-formation-ouverte-distance/",
                    published: "2026-11-18T13:00:00Z"),
            ])
        XCTAssertEqual(
            page.preview.feed.items.first?.summary,
            "Le référentiel national qualité évolue : nouveaux indicateurs, calendrier d’audit et obligations des organismes."
        )
    }

    func testSPIPListReadsFrenchDatesWrittenInFullAndAbbreviated() async throws {
        server.route(
            path: "/spip.php", document: try Self.fixture("spip-list"), contentType: "text/html; charset=utf-8")
        let page = try await fetch("/spip.php")
        let base = server.url(for: "/").absoluteString
        XCTAssertEqual(
            page.items,
            [
                Seen(
                    title: "Bref n°462 : les parcours des apprentis trois ans après leur contrat",
                    link: "\(base)spip.php?article2210", published: "2026-12-01T12:00:00Z"),
                Seen(
                    title: "Formation continue des salariés : premiers résultats de l'enquête 2025",
                    link: "\(base)Formation-continue-des-salaries-2025", published: "2026-11-24T12:00:00Z"),
                Seen(
                    title: "Neurodiversité au travail : ce que disent les employeurs",
                    link: "\(base)spip.php?article2198&lang=fr", published: "2026-11-10T12:00:00Z"),
            ])
    }

    func testTableRowsWithDayFirstDatesBecomeItems() async throws {
        server.route(
            path: "/textes", document: try Self.fixture("table-dates"), contentType: "text/html; charset=utf-8")
        let page = try await fetch("/textes")
        let base = server.url(for: "/").absoluteString.dropLast()
        XCTAssertEqual(
            page.items,
            [
                Seen(
                    title: "Décret n° 2026-1123 relatif au compte personnel de formation",
                    link: "\(base)/textes/decret-2026-1123",
                    published: "2026-12-02T12:00:00Z"),
                Seen(
                    title: "Arrêté modifiant le référentiel national qualité",
                    link: "\(base)/textes/arrete-referentiel-qualite",
                    published: "2026-11-25T12:00:00Z"),
                Seen(
                    title: "Décret n° 2026-1050 portant diverses mesures sur l'apprentissage",
                    link: "\(base)/textes/decret-2026-1050", published: "2026-11-18T12:00:00Z"),
                Seen(
                    title: "Instruction relative à l'accessibilité des formations aux personnes handicapées",
                    link: "\(base)/textes/instruction-handicap-formation", published: "2026-11-05T12:00:00Z"),
            ])
    }

    func testARecipeGivenByHandReadsItsFieldsRelativeToEachBlock() async throws {
        server.route(
            path: "/textes", document: try Self.fixture("table-dates"), contentType: "text/html; charset=utf-8")
        let recipe = PageRecipe(
            items: "//table[@class='fr-table']/tbody/tr", title: "td[2]", link: "td[2]/a/@href", date: "td[1]",
            summary: "concat('Thème : ', td[3])")
        let preview = try await PagePreview.load(
            server.url(for: "/textes"), recipe: recipe, fetch: .init(allowPrivateNetworks: true))
        XCTAssertFalse(preview.detected)
        XCTAssertEqual(
            preview.feed.items.map(\.summary),
            ["Thème : CPF", "Thème : Qualiopi", "Thème : Apprentissage", "Thème : Handicap"])
        XCTAssertEqual(preview.feed.items.first?.link, server.url(for: "/textes/decret-2026-1123").absoluteString)
        XCTAssertEqual(preview.feed.items.last?.published.map(FeedJSON.timestamp), "2026-11-05T12:00:00Z")
    }

    func testAPageWithoutARepeatedBlockIsRefusedWithWhatToDo() async throws {
        server.route(
            path: "/guide", document: Data(ChangeSourceTests.guide(version: 1).utf8),
            contentType: "text/html; charset=utf-8")
        do {
            _ = try await PagePreview.load(
                server.url(for: "/guide"), recipe: nil, fetch: .init(allowPrivateNetworks: true))
            XCTFail("a page with no list was read as one")
        } catch let error as PageSourceError {
            XCTAssertTrue(error.description.contains("no repeated block of headline links found"), error.description)
            XCTAssertTrue(error.description.contains("--kind change"), error.description)
        }
    }

    func testAFeedGivenAsAPageSaysSo() async throws {
        server.route(path: "/feed.xml", document: PollerTests.twoItems)
        let config = configuration([("/feed.xml", .page(nil))])
        let summary = try await poll(config)
        XCTAssertEqual(summary.failed, 1)
        XCTAssertTrue(summary.errors[0].error.contains("this address is a feed, not a page"), summary.errors[0].error)
    }

    // MARK: polling

    func configuration(_ entries: [(String, SourceKind)]) -> Configuration {
        Configuration(
            storage: .init(database: directory.file("state/regwatch.sqlite")),
            fetch: .init(allowPrivateNetworks: true),
            feeds: entries.map { path, kind in
                var entry = FeedEntry(url: FeedURL(server.url(for: path).absoluteString)!)
                entry.kind = kind
                return entry
            })
    }

    func poll(_ configuration: Configuration, at now: Date = Date()) async throws -> PollSummary {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        return try await Poller(configuration: configuration, database: database, logger: quiet, now: { now })
            .poll(configuration.feeds)
    }

    func testPollingAPageStoresItsItemsAsksForHTMLAndASecondPollIsA304() async throws {
        server.route(
            path: "/actualites/", document: try Self.fixture("dsfr-cards"), contentType: "text/html; charset=utf-8")
        let config = configuration([("/actualites/", .page(nil))])
        let first = try await poll(config)
        XCTAssertEqual(first, PollSummary(feeds: 1, ok: 1, notModified: 0, failed: 0, newItems: 4, errors: []))
        XCTAssertEqual(server.requests(path: "/actualites/").first?.header("Accept")?.hasPrefix("text/html"), true)
        let stored = try database.items()
        XCTAssertEqual(Set(stored.map(\.title)), Set(try Self.seenTitles("dsfr-cards")))
        XCTAssertEqual(stored.first { $0.title?.hasPrefix("Répertoire") == true }?.published, nil)

        let second = try await poll(config)
        XCTAssertEqual(second.notModified, 1)
        XCTAssertEqual(second.newItems, 0)
        XCTAssertNotNil(server.requests(path: "/actualites/").last?.header("If-None-Match"))
        XCTAssertEqual(try database.itemCount(), 4)
    }

    static func seenTitles(_ name: String) throws -> [String?] {
        try PageReader().detect(Self.fixture(name), url: URL(string: "https://example.fr/")!)!.feed.items.map(\.title)
    }

    func testAReorderedPageWithAnUndatedItemAndNoValidatorsAddsNothingAndKeepsTheFirstSeenDate() async throws {
        let html = String(decoding: try Self.fixture("dsfr-cards"), as: UTF8.self)
        let served = Served(html)
        server.route("/actualites/") { _ in
            .init(headers: ["Content-Type": "text/html; charset=utf-8"], body: Data(served.value.utf8))
        }
        let config = configuration([("/actualites/", .page(nil))])
        let monday = Date(timeIntervalSince1970: 1_796_896_800)  // 2026-12-07T10:00:00Z
        _ = try await poll(config, at: monday)
        let undated = try XCTUnwrap(try database.items().first { $0.published == nil })
        XCTAssertEqual(undated.firstSeen, monday)

        // The cards come back in another order, with a tracking parameter on one link.
        let cards = html.components(separatedBy: "<div class=\"fr-col-12 fr-col-md-4\">")
        served.value = ([cards[0]] + cards[1...].reversed()).joined(separator: "<div class=\"fr-col-12 fr-col-md-4\">")
            .replacingOccurrences(of: "rapport-usage-cpf-2026/?xtor=RSS-1", with: "rapport-usage-cpf-2026/?xtor=RSS-2")
        let later = try await poll(config, at: monday.addingTimeInterval(86_400))
        XCTAssertEqual(later.newItems, 0)
        XCTAssertEqual(try database.itemCount(), 4)
        let again = try XCTUnwrap(try database.items().first { $0.published == nil })
        XCTAssertEqual(again.firstSeen, monday)
        XCTAssertEqual(again.id, undated.id)
    }

    func testAPageWhoseLayoutChangedFailsTheSourceWithTheCountOfLastTimeNamedInStatus() async throws {
        let served = Served(String(decoding: try Self.fixture("drupal-views"), as: UTF8.self))
        server.route("/actualites") { _ in
            .init(headers: ["Content-Type": "text/html; charset=utf-8"], body: Data(served.value.utf8))
        }
        let url = server.url(for: "/actualites").absoluteString
        let recipe = PageRecipe(items: "//div[contains(@class,'views-row')]")
        let config = configuration([("/actualites", .page(recipe))])
        let first = try await poll(config)
        XCTAssertEqual(first.newItems, 3)

        // The site's redesign: the rows are now <article class="node--teaser">.
        served.value = served.value.replacingOccurrences(
            of: "<div class=\"views-row\">", with: "<article class=\"node--teaser\">")
        let second = try await poll(config)
        XCTAssertEqual(second.failed, 1)
        let expected =
            "the page layout changed: items matched nothing, 3 last time — check the selector with `watchctl fetch \(url) --kind page`"
        XCTAssertTrue(second.errors[0].error.hasSuffix(expected), second.errors[0].error)
        let state = try XCTUnwrap(try database.feedStates().first)
        XCTAssertEqual(state.lastError?.hasSuffix(expected), true)
        XCTAssertEqual(state.errorStreak, 1)

        // The digest names it among its blind spots, with the same line.
        let input = try database.digestInput(
            week: ISOWeek.containing(Date(), in: TimeZone(identifier: "Europe/Paris")!),
            timeZone: TimeZone(identifier: "Europe/Paris")!, feeds: config.feeds)
        XCTAssertEqual(input.failingSources.map(\.url), [url])
        XCTAssertEqual(input.failingSources.map(\.error), [expected])
        XCTAssertEqual(input.failingSources.map(\.reason), [.layoutChanged])
        let digest = WeeklyDigest.build(from: input, settings: DigestSettings(config))
        XCTAssertTrue(
            digest.renderMarkdown().contains("la mise en page a changé, la recette de la page est à revoir"),
            digest.renderMarkdown())

        // Still broken on the next poll: it still says how many items there were.
        let third = try await poll(config)
        XCTAssertTrue(third.errors[0].error.contains("3 last time"), third.errors[0].error)
    }

    func testHostilePagesAreBoundedInTimeAndMemory() async throws {
        // The list, then 100 000 nested divs (libxml2 stops building the tree at its depth
        // limit of 256: what follows is dropped, nothing recurses), invalid UTF-8, and scripts
        // pretending to be items.
        var nested = "<!DOCTYPE html><html><head><title>Piège</title><script>for(;;){}</script></head><body>"
        nested +=
            "<ul>" + (1...5).map { "<li><a href=\"/a\($0)\">Titre numéro \($0) d'un article piégé</a></li>" }.joined()
            + "</ul>"
        nested += "<script>document.write('<ul><li><a href=/x>Faux titre venu du script</a></li></ul>')</script>"
        nested += String(repeating: "<div>", count: 100_000) + "<p>fond</p>"
        var bytes = Data(nested.utf8)
        bytes.append(contentsOf: [0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82])
        bytes.append(Data("<ul><li><a href=/y>Un titre perdu sous les divs</a></li></ul></body></html>".utf8))
        server.route(path: "/nested", document: bytes, contentType: "text/html; charset=utf-8")
        let huge = Data(repeating: UInt8(ascii: "a"), count: 50 * 1024 * 1024)
        server.route(path: "/huge", document: huge, contentType: "text/html")

        let page = try await fetch("/nested")
        XCTAssertEqual(page.items.map(\.title), (1...5).map { "Titre numéro \($0) d'un article piégé" })

        let config = configuration([("/huge", .page(nil)), ("/nested", .change(ChangeWatch()))])
        let summary = try await poll(config)
        XCTAssertEqual(summary.ok, 1)
        XCTAssertEqual(summary.failed, 1)
        XCTAssertTrue(
            summary.errors[0].error.contains("max_bytes") || summary.errors[0].error.contains("too large"),
            summary.errors[0].error)
    }
}

/// A value a route handler reads (on the server's connection threads) while the test changes it.
final class Served: Sendable {
    private let current: Mutex<String>

    init(_ value: String) { current = Mutex(value) }

    var value: String {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}
