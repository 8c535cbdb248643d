import Foundation
import TestSupport
import XCTest

/// One language per run: every line a person reads (summaries, tables, errors) is French under
/// a `fr*` locale and English otherwise, chosen from `LC_ALL`, then `LC_MESSAGES`, then `LANG`,
/// whether or not the locale is installed. Runs the real binary over a real poll of feeds
/// served on 127.0.0.1 (one of them down, so failures are printed too).
final class OneLanguagePerRunTests: XCTestCase {
    private var fixture: WatchctlFixture!

    static let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Centre Inffo</title><link>https://www.centre-inffo.fr/</link>
        <item><title>Référentiel national qualité : la version 9 publiée</title>
        <link>https://www.centre-inffo.fr/actu/rnq-9</link><guid isPermaLink="false">inffo-1</guid>
        <pubDate>Tue, 02 Dec 2025 10:00:00 +0100</pubDate>
        <description>Les organismes certifiés Qualiopi ont douze mois pour s'y conformer.</description></item>
        <item><title>Compte personnel de formation : le reste à charge évolue</title>
        <link>https://www.centre-inffo.fr/actu/cpf</link><guid isPermaLink="false">inffo-2</guid>
        <pubDate>Wed, 03 Dec 2025 09:00:00 +0100</pubDate>
        <description>La participation forfaitaire du CPF est revalorisée.</description></item>
        </channel></rss>
        """

    /// Words that only one language uses in the lines watchctl writes (whole words, any case).
    static let frenchWords: Set<String> = [
        "flux", "échec", "articles", "semaine", "aucun", "jamais", "dernier", "dernière", "lus", "inchangés",
        "nouveaux", "thèmes", "thème", "résultat", "inconnu", "état", "titre", "base", "règle", "relus",
    ]
    static let englishWords: Set<String> = [
        "feeds", "failing", "failed", "items", "week", "never", "last", "none", "result", "unknown", "state",
        "title", "read", "new", "stored", "topics", "topic", "is", "not", "rule", "feed", "database",
    ]

    override func setUpWithError() throws {
        fixture = try WatchctlFixture(prefix: "watchctl-language")
        fixture.server.route(path: "/inffo.xml", document: Data(Self.feed.utf8))
        fixture.server.route("/panne.xml") { _ in .init(status: 503, text: "indisponible") }
        try fixture.writeConfig(
            """
            [[feeds]]
            url = "\(fixture.url("/inffo.xml"))"

            [[feeds]]
            url = "\(fixture.url("/panne.xml"))"
            title = "Ministère du Travail"
            """)
    }

    override func tearDown() {
        fixture.remove()
    }

    /// What a person reads from a handful of commands (stdout and stderr), run with `environment`.
    private func transcript(_ environment: [String: String]) throws -> [String] {
        var lines: [String] = []
        func run(_ arguments: [String], status: Int32) throws {
            let result = try fixture.run(arguments, environment: environment)
            XCTAssertEqual(result.status, status, "\(arguments): \(result.stderr)")
            lines += (result.stdout + result.stderr).split(separator: "\n").map(String.init)
        }
        try run(["poll"], status: 0)
        try run(["status"], status: 0)
        try run(["list-feeds"], status: 0)
        try run(["items"], status: 0)
        try run(["search", "apprentissage"], status: 0)
        try run(["follow", "--list"], status: 0)
        try run(["fetch", fixture.url("/inffo.xml")], status: 0)
        try run(["tag", "Calendrier des salons de printemps"], status: 0)
        try run(["retag"], status: 0)
        try run(["check-config"], status: 0)
        try run(["items", "--since", "hier"], status: 2)
        try run(["items", "--topic", "apprentissage"], status: 2)
        try run(["digest", "--week", "2025-W60"], status: 2)
        return lines
    }

    /// The words of `lines` that belong to `words`, with the line they are on.
    private func stray(_ words: Set<String>, in lines: [String]) -> [String] {
        // Item titles are data, not watchctl's words. The failing source's line of list-feeds
        // ("  URL: …") is in the run's language too: the fetcher's words in English, their
        // kind in French.
        let titles = ["Référentiel national qualité", "Compte personnel de formation", "Ministère du Travail"]
        XCTAssertEqual(lines.filter { $0.hasPrefix("  http://") }.count, 1, "list-feeds names the one failing source")
        return lines.flatMap { line -> [String] in
            var cleaned = line
            for title in titles { cleaned = cleaned.replacingOccurrences(of: title, with: "") }
            // Paths, URLs and option names (`--topic`) are not words either.
            cleaned = cleaned.split(separator: " ").filter { !$0.contains("/") && !$0.hasPrefix("-") }
                .joined(separator: " ")
            let tokens = cleaned.lowercased().split { !$0.isLetter }.map(String.init)
            return tokens.filter(words.contains).map { "\($0) in: \(line)" }
        }
    }

    func testTheCLocaleRunSpeaksEnglishOnly() throws {
        let lines = try transcript(["LC_ALL": "C"])
        let text = lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("2 feeds: 1 read, 0 unchanged (304), 1 failing — 2 new items"), text)
        XCTAssertTrue(text.contains("Feeds: 2 enabled, 1 OK, 1 failing, 0 never read"), text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("FEED ") && $0.contains("LAST READ") }, text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("NO. ") && $0.contains("TOPICS") }, text)
        XCTAssertTrue(text.contains("no result for \"apprentissage\""), text)
        XCTAssertTrue(text.contains("nothing followed yet"), text)
        XCTAssertTrue(text.contains("Centre Inffo — rss2.0, 2 items"), text)
        XCTAssertTrue(text.contains("no topic (no rule reached its threshold)"), text)
        XCTAssertTrue(text.contains("2 items read again, 0 changed topics"), text)
        XCTAssertTrue(text.contains(": OK — 2 feeds, "), text)
        XCTAssertTrue(text.contains("watchctl: --topic \"apprentissage\": unknown topic"), text)
        XCTAssertTrue(text.contains("watchctl: week \"2025-W60\""), text)
        XCTAssertEqual(stray(Self.frenchWords, in: lines), [], text)
    }

    func testAFrenchLangRunSpeaksFrenchOnly() throws {
        // fr_FR.UTF-8 need not be installed: the name alone chooses.
        let lines = try transcript(["LANG": "fr_FR.UTF-8"])
        let text = lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("2 flux : 1 lus, 0 inchangés (304), 1 en échec — 2 nouveaux articles"), text)
        XCTAssertTrue(text.contains("Flux : 2 actifs, 1 OK, 1 en échec, 0 jamais lus"), text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("FLUX ") && $0.contains("DERNIÈRE LECTURE") }, text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("N° ") && $0.contains("THÈMES") }, text)
        XCTAssertTrue(text.contains("aucun résultat pour « apprentissage »"), text)
        XCTAssertTrue(text.contains("aucun suivi enregistré"), text)
        XCTAssertTrue(text.contains("Centre Inffo — rss2.0, 2 articles"), text)
        XCTAssertTrue(text.contains("aucun thème (aucune règle n'atteint son seuil)"), text)
        XCTAssertTrue(text.contains("2 articles relus, 0 ont changé de sujets"), text)
        XCTAssertTrue(text.contains(" : OK — 2 flux, "), text)
        XCTAssertTrue(text.contains("watchctl: --topic « apprentissage » : thème inconnu"), text)
        XCTAssertTrue(text.contains("watchctl: semaine « 2025-W60 »"), text)
        XCTAssertEqual(stray(Self.englishWords, in: lines), [], text)
    }

    func testLCAllThenLCMessagesThenLangDecide() throws {
        try fixture.run(["poll"]).assertSucceeded()
        func firstLine(_ environment: [String: String]) throws -> String {
            let result = try fixture.run(["status"], environment: environment)
            XCTAssertEqual(result.status, 0, result.stderr)
            return String(result.stdout.prefix { $0 != "\n" })
        }
        // LC_ALL wins over LANG, LC_MESSAGES over LANG; an empty value does not count.
        XCTAssertTrue(try firstLine(["LC_ALL": "C.UTF-8", "LANG": "fr_FR.UTF-8"]).contains(" — week "))
        XCTAssertTrue(try firstLine(["LC_ALL": "fr_BE.UTF-8", "LANG": "en_GB.UTF-8"]).contains(" — semaine "))
        XCTAssertTrue(try firstLine(["LC_MESSAGES": "fr_CA", "LANG": "C"]).contains(" — semaine "))
        XCTAssertTrue(try firstLine(["LC_ALL": "", "LC_MESSAGES": "en_US", "LANG": "fr_FR"]).contains(" — week "))
        // No locale at all is English.
        XCTAssertTrue(try firstLine([:]).contains(" — week "))
    }
}

extension Watchctl.Result {
    fileprivate func assertSucceeded(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(status, 0, stderr, file: file, line: line)
    }
}
