import FeedParser
import Foundation
import Logging
import RegWatch
import TestSupport
import XCTest

/// `kind = "change"`: a regulatory page watched through a sequence of versions, and a PDF
/// watched by content, through the real path (loopback server → libcurl → libxml2 → SQLite).
final class ChangeSourceTests: LoopbackStoreTestCase {
    /// The Qualiopi reading-guide page, shaped like travail-emploi.gouv.fr (DSFR): version 1, and
    /// version 2 with one sentence added to indicator 23.
    static func guide(
        version: Int, updated: String = "mis à jour le 2 décembre 2026", visits: Int = 1204,
        reformatted: Bool = false
    ) -> String {
        let added =
            version >= 2
            ? " Les organismes conservent la trace des sources consultées et des décisions prises pendant trois ans."
            : ""
        let indicator23 =
            reformatted
            ? "<p>\n   L'indicateur 23 porte sur la <strong>veille légale et réglementaire</strong>\n sur le champ de la formation professionnelle.\n Le prestataire démontre qu'il exploite cette veille.\(added)</p>"
            : "<p>L'indicateur 23 porte sur la <em>veille légale et réglementaire</em> sur le champ de la formation professionnelle. Le prestataire démontre qu'il exploite cette veille.\(added)</p>"
        return """
            <!DOCTYPE html>
            <html lang="fr"><head><meta charset="utf-8"><title>Guide de lecture du référentiel national qualité</title>
            <script>var tarteaucitron = {"session": "\(UUID().uuidString)"};</script><style>.fr-callout{color:#000}</style></head>
            <body>
            <header class="fr-header"><nav class="fr-nav"><ul><li><a href="/formation">Formation professionnelle</a></li><li><a href="/qualiopi">Qualiopi</a></li></ul></nav></header>
            <main id="contenu" role="main">
            <nav class="fr-breadcrumb"><ol><li><a href="/">Accueil</a></li><li>Guide de lecture</li></ol></nav>
            <h1>Guide de lecture du référentiel national qualité</h1>
            <p class="fr-text--sm">Publié le 8 janvier 2024, \(updated) — \(visits) consultations</p>
            <h2>Critère 6 : l'inscription et l'investissement du prestataire dans son environnement professionnel</h2>
            \(indicator23)
            <div class="fr-callout"><p>Niveau attendu : démontrer la mise en place d'une veille et sa prise en compte.</p></div>
            <h2>Indicateur 24</h2>
            <p>Le prestataire réalise une veille sur les évolutions des compétences, des métiers et des emplois.</p>
            <form class="fr-search-bar"><input name="q" value="\(visits)"><button>Rechercher</button></form>
            </main>
            <footer class="fr-footer"><p>Dernière génération de la page : \(visits)</p></footer>
            </body></html>
            """
    }

    func configuration(_ path: String, watch: ChangeWatch, language: Configuration.Language = .fr) -> Configuration {
        var entry = FeedEntry(url: FeedURL(server.url(for: path).absoluteString)!)
        entry.kind = .change(watch)
        return Configuration(
            storage: .init(database: directory.file("state/regwatch.sqlite")),
            fetch: .init(allowPrivateNetworks: true),
            digest: .init(language: language),
            feeds: [entry])
    }

    func poll(_ configuration: Configuration, at now: Date) async throws -> PollSummary {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        return try await Poller(configuration: configuration, database: database, logger: quiet, now: { now })
            .poll(configuration.feeds)
    }

    let monday = Date(timeIntervalSince1970: 1_796_896_800)  // 2026-12-07T10:00:00Z

    func testARegulatoryPageChangeSequence() async throws {
        let served = Served(Self.guide(version: 1))
        // No validators: every poll gets the whole page, and a new session token in its script.
        server.route("/guide-lecture") { _ in
            .init(headers: ["Content-Type": "text/html; charset=utf-8"], body: Data(served.value.utf8))
        }
        let watch = ChangeWatch(ignore: [#"mis à jour le \d{1,2}(er)? \w+ \d{4}"#, #"\d+ consultations"#])
        let config = configuration("/guide-lecture", watch: watch)

        // 1. The first poll records the baseline: no item.
        let first = try await poll(config, at: monday)
        XCTAssertEqual(first, PollSummary(feeds: 1, ok: 1, notModified: 0, failed: 0, newItems: 0, errors: []))

        // 2. Reformatted markup and whitespace, new counters, a new "mis à jour" date, a new
        //    script token, a new search-form value: not news.
        served.value = Self.guide(version: 1, updated: "mis à jour le 5 décembre 2026", visits: 1388, reformatted: true)
        let second = try await poll(config, at: monday.addingTimeInterval(3600))
        XCTAssertEqual(second.newItems, 0)
        XCTAssertEqual(second.ok, 1)

        // 3. A sentence is added to indicator 23: one item.
        served.value = Self.guide(version: 2, updated: "mis à jour le 6 décembre 2026", visits: 1402)
        let changedAt = monday.addingTimeInterval(7200)
        let third = try await poll(config, at: changedAt)
        XCTAssertEqual(third.newItems, 1)
        let item = try XCTUnwrap(try database.items().first)
        let sentence =
            "Les organismes conservent la trace des sources consultées et des décisions prises pendant trois ans."
        XCTAssertEqual(
            item.title,
            "Guide de lecture du référentiel national qualité — page modifiée : « Les organismes conservent la trace des sources consultées et des décisions prises pendant… »"
        )
        XCTAssertEqual(item.link, server.url(for: "/guide-lecture").absoluteString)
        XCTAssertEqual(item.published, changedAt)
        XCTAssertEqual(item.summary, "Ajouté : « \(sentence) ».")
        XCTAssertEqual(
            item.content,
            "prestataire démontre qu'il exploite cette veille. {+\(sentence)+}")  // six words of context

        // Searchable by the words that changed.
        XCTAssertEqual(try database.search("trace des sources consultées").map(\.item.id), [item.id])

        // 4. The same text again: nothing more.
        let fourth = try await poll(config, at: monday.addingTimeInterval(10_800))
        XCTAssertEqual(fourth.newItems, 0)

        // 5. The sentence is removed again: a second item saying so.
        served.value = Self.guide(version: 1)
        let fifth = try await poll(config, at: monday.addingTimeInterval(14_400))
        XCTAssertEqual(fifth.newItems, 1)
        let removal = try XCTUnwrap(try database.items().first)
        XCTAssertEqual(removal.summary, "Retiré : « \(sentence) ».")
        XCTAssertEqual(try database.itemCount(), 2)
    }

    func testWithoutIgnoreTheUpdateDateIsAChangeAndTheSummaryIsInEnglishForAnEnglishDigest() async throws {
        let served = Served(Self.guide(version: 1))
        server.route("/guide") { _ in
            .init(headers: ["Content-Type": "text/html; charset=utf-8"], body: Data(served.value.utf8))
        }
        let config = configuration(
            "/guide", watch: ChangeWatch(region: "//main/h2[1]/following-sibling::p[1]"), language: .en)
        _ = try await poll(config, at: monday)
        // Outside the region: not a change.
        served.value = Self.guide(version: 1, updated: "mis à jour le 9 décembre 2026", visits: 2000)
        let outside = try await poll(config, at: monday.addingTimeInterval(60))
        XCTAssertEqual(outside.newItems, 0)
        served.value = Self.guide(version: 2)
        let inside = try await poll(config, at: monday.addingTimeInterval(120))
        XCTAssertEqual(inside.newItems, 1)
        let item = try XCTUnwrap(try database.items().first)
        XCTAssertTrue(
            item.title?.hasPrefix("Guide de lecture du référentiel national qualité — page changed: “Les organismes")
                == true, item.title ?? "")
        XCTAssertTrue(item.summary?.hasPrefix("Added: “Les organismes conservent") == true, item.summary ?? "")
    }

    func testARegionThatMatchesNothingAnyMoreFailsTheSource() async throws {
        let served = Served(Self.guide(version: 1))
        server.route("/guide") { _ in
            .init(headers: ["Content-Type": "text/html; charset=utf-8"], body: Data(served.value.utf8))
        }
        let config = configuration("/guide", watch: ChangeWatch(region: "//div[@class='fr-callout']"))
        _ = try await poll(config, at: monday)
        served.value = served.value.replacingOccurrences(of: "fr-callout", with: "fr-highlight")
        let summary = try await poll(config, at: monday.addingTimeInterval(60))
        XCTAssertEqual(summary.failed, 1)
        XCTAssertTrue(
            summary.errors[0].error.contains(
                "the page layout changed: the region matched nothing (region = \"//div[@class='fr-callout']\")"),
            summary.errors[0].error)
    }

    /// A small but real PDF (one page of text); `edition` changes its bytes.
    static func pdf(edition: String) -> Data {
        let stream = "BT /F1 12 Tf 72 720 Td (Guide de lecture Qualiopi - \(edition)) Tj ET"
        var objects: [String] = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { out += String(format: "%010d 00000 n \n", offset) }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        objects.removeAll()
        return Data(out.utf8)
    }

    func testAPDFThatChangesIsOneDocumentModifiedItemAndA304IsNothing() async throws {
        server.route(
            path: "/guide-lecture-qualiopi.pdf", document: Self.pdf(edition: "version 8"),
            contentType: "application/pdf")
        let config = configuration("/guide-lecture-qualiopi.pdf", watch: ChangeWatch())
        let first = try await poll(config, at: monday)
        XCTAssertEqual(first.newItems, 0)
        XCTAssertEqual(first.ok, 1)

        let unchanged = try await poll(config, at: monday.addingTimeInterval(60))
        XCTAssertEqual(unchanged.notModified, 1)

        let newer = Self.pdf(edition: "version 9 du 2 decembre 2026")
        server.route(path: "/guide-lecture-qualiopi.pdf", document: newer, contentType: "application/pdf")
        let changed = try await poll(config, at: monday.addingTimeInterval(120))
        XCTAssertEqual(changed.newItems, 1)
        let item = try XCTUnwrap(try database.items().first)
        XCTAssertEqual(item.title, "guide-lecture-qualiopi.pdf — document modifié")
        XCTAssertEqual(
            item.summary,
            "Le document a changé : application/pdf, \(newer.count) octets (avant : \(Self.pdf(edition: "version 8").count) octets)."
        )
    }
}
