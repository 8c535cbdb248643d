import Foundation
import TestSupport
import XCTest

/// The library's errors follow the run's language like watchctl's own lines: one family per
/// test, each run twice through the real binary (`LANG=fr_FR.UTF-8`, then `LANG=C`), with the
/// same exit status both times; JSON keeps its English text.
final class ErrorLanguageTests: XCTestCase {
    private var fixture: WatchctlFixture!

    static let french = ["LANG": "fr_FR.UTF-8"]
    static let english = ["LANG": "C"]

    override func setUpWithError() throws {
        fixture = try WatchctlFixture(prefix: "watchctl-error-language")
    }

    override func tearDown() {
        fixture.remove()
    }

    /// Runs `arguments` in French and in English; both must end with `status`.
    private func both(_ arguments: [String], status: Int32, file: StaticString = #filePath, line: UInt = #line) throws
        -> (french: Watchctl.Result, english: Watchctl.Result)
    {
        let french = try Watchctl.run(arguments, environment: Self.french)
        let english = try Watchctl.run(arguments, environment: Self.english)
        XCTAssertEqual(french.status, status, french.stderr, file: file, line: line)
        XCTAssertEqual(english.status, status, english.stderr, file: file, line: line)
        return (french, english)
    }

    func testConfigurationProblemsKeepFileAndLineInBothLanguages() throws {
        let file = try fixture.directory.write(
            """
            [fetch]
            timeout = 5
            concurency = 3

            [[feeds]]
            url = "htp://exemple.fr/flux"
            """, to: "bad.toml")
        let (french, english) = try both(["--config", file.path, "check-config"], status: 2)
        XCTAssertEqual(
            french.stderr,
            """
            watchctl: \(file.path):2: [fetch] timeout : on attend une durée entre guillemets comme "90s", "30m", "2h" ou "1d", trouvé le nombre 5
            watchctl: \(file.path):3: [fetch] concurency : clé inconnue (vouliez-vous dire concurrency ?)
            watchctl: \(file.path):6: [[feeds]] url : "htp://exemple.fr/flux" n'est pas une URL http(s)

            """)
        XCTAssertEqual(
            english.stderr,
            """
            watchctl: \(file.path):2: [fetch] timeout: expected a duration string such as "90s", "30m", "2h" or "1d", found the number 5
            watchctl: \(file.path):3: [fetch] concurency: unknown key (did you mean concurrency?)
            watchctl: \(file.path):6: [[feeds]] url: "htp://exemple.fr/flux" is not an http(s) URL

            """)
        // Any other command gives the first problem and how many more.
        let poll = try both(["--config", file.path, "poll"], status: 2)
        XCTAssertTrue(
            poll.french.stderr.hasSuffix("(et 2 de plus : lancer `watchctl check-config`)\n"), poll.french.stderr)
        XCTAssertTrue(poll.english.stderr.hasSuffix("(and 2 more: run `watchctl check-config`)\n"), poll.english.stderr)
    }

    func testAMissingConfigFileIsWordedInTheRunsLanguage() throws {
        let missing = fixture.directory.url.appendingPathComponent("absent.toml").path
        let (french, english) = try both(["--config", missing, "status"], status: 2)
        XCTAssertTrue(
            french.stderr.hasPrefix("watchctl: \(missing): aucun fichier de configuration à ce chemin : "),
            french.stderr)
        XCTAssertTrue(
            english.stderr.hasPrefix("watchctl: \(missing): no such config file at this path: "), english.stderr)
    }

    func testATransferFailureIsWordedFromItsKind() throws {
        fixture.server.route("/disparu.xml") { _ in .init(status: 404, text: "introuvable") }
        let config = try fixture.writeConfig()
        let url = fixture.url("/disparu.xml")
        let (french, english) = try both(["--config", config.path, "fetch", url], status: 1)
        XCTAssertEqual(french.stderr, "watchctl: \(url) : HTTP 404 — vérifier l'URL du flux\n")
        XCTAssertEqual(english.stderr, "watchctl: \(url): HTTP 404 Not Found — check the feed URL\n")
    }

    func testAnURLThatIsNotHTTPIsBadInputInBothLanguages() throws {
        let (french, english) = try both(["fetch", "ftp://exemple.fr/flux"], status: 2)
        XCTAssertTrue(
            french.stderr.hasPrefix("Erreur : fetch : « ftp://exemple.fr/flux » n'est pas une URL http(s)\n"),
            french.stderr)
        XCTAssertTrue(
            english.stderr.hasPrefix("Error: fetch: \"ftp://exemple.fr/flux\" is not an http(s) URL\n"), english.stderr)
    }

    func testWatchctlsOwnOptionChecksFollowTheLanguage() throws {
        let (french, english) = try both(["digest", "--to", "equipe"], status: 2)
        XCTAssertTrue(french.stderr.hasPrefix("Erreur : --to va avec --deliver\n"), french.stderr)
        XCTAssertTrue(english.stderr.hasPrefix("Error: --to goes with --deliver\n"), english.stderr)
        let follow = try both(["follow"], status: 2)
        XCTAssertTrue(follow.french.stderr.hasPrefix("Erreur : donner un ARTICLE"), follow.french.stderr)
        XCTAssertTrue(follow.english.stderr.hasPrefix("Error: name an ITEM"), follow.english.stderr)
    }

    func testADigestOfAWeekNotBegunIsRefusedInTheRunsLanguage() throws {
        let config = try fixture.writeConfig()
        let (french, english) = try both(["--config", config.path, "digest", "--week", "2099-W10"], status: 2)
        XCTAssertTrue(
            french.stderr.hasPrefix("watchctl: la semaine 2099-W10 n'a pas commencé (nous sommes en "), french.stderr)
        XCTAssertTrue(french.stderr.hasSuffix("omettre --week pour la semaine qui vient de finir\n"), french.stderr)
        XCTAssertTrue(english.stderr.hasPrefix("watchctl: week 2099-W10 has not begun (this is "), english.stderr)
    }

    func testAnUnknownDeliveryTargetIsRefusedInTheRunsLanguage() throws {
        let config = try fixture.writeConfig()
        let (french, english) = try both(["--config", config.path, "digest", "--deliver", "--to", "equipe"], status: 2)
        XCTAssertTrue(french.stderr.hasPrefix("watchctl: aucune cible de livraison « equipe » dans "), french.stderr)
        XCTAssertTrue(english.stderr.hasPrefix("watchctl: no delivery target named \"equipe\" in "), english.stderr)
    }

    /// A feeds.toml with one delivery target, the Slack webhook "equipe", which refuses its token (401).
    private func configWithARefusingSlackTarget() throws -> URL {
        fixture.server.route("/hook") { _ in .init(status: 401, text: "invalid_token") }
        return try fixture.writeConfig(
            """
            [[deliver]]
            name = "equipe"
            type = "slack"
            url = "\(fixture.url("/hook"))"
            """)
    }

    func testAFailedDeliveryIsWordedInTheRunsLanguageAndItsJSONStaysEnglish() throws {
        let config = try configWithARefusingSlackTarget()
        let (french, english) = try both(["--config", config.path, "digest", "--deliver"], status: 1)
        XCTAssertTrue(
            french.stdout.contains(
                "equipe : échec : equipe (slack) : le webhook Slack refuse les identifiants (401) : vérifier la valeur dans feeds.toml"
            ),
            french.stdout)
        XCTAssertTrue(
            french.stderr.contains(
                "watchctl: digest non livré à equipe (voir ci-dessus) ; le prochain watchctl digest"),
            french.stderr)
        XCTAssertTrue(
            english.stdout.contains(
                "equipe: failed: equipe (slack): the Slack webhook refused the credentials (401): check the value in feeds.toml"
            ),
            english.stdout)
        XCTAssertTrue(english.stderr.contains("watchctl: digest not delivered to equipe (see above)"), english.stderr)

        let json = try Watchctl.run(
            ["--config", config.path, "digest", "--deliver", "--json"], environment: Self.french)
        XCTAssertEqual(json.status, 1, json.stderr)
        let results = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(
            results.first?["error"] as? String,
            "equipe (slack): the Slack webhook refused the credentials (401): check the value in feeds.toml")
    }

    func testAStoredDeliveryFailureIsShownByStatusInTheRunsLanguageAndItsJSONStaysEnglish() throws {
        let config = try configWithARefusingSlackTarget()
        // An English run records the failure; `status` reads it back later, in its own language.
        let deliver = try Watchctl.run(["--config", config.path, "digest", "--deliver"], environment: Self.english)
        XCTAssertEqual(deliver.status, 1, deliver.stderr)
        let (french, english) = try both(["--config", config.path, "status"], status: 0)
        let frenchLine = try XCTUnwrap(
            french.stdout.split(separator: "\n").first { $0.hasPrefix("Livraison « equipe » : ") }, french.stdout)
        XCTAssertTrue(
            frenchLine.hasSuffix(
                ", échec : equipe (slack) : le webhook Slack refuse les identifiants (401) : vérifier la valeur dans feeds.toml"
            ), String(frenchLine))
        let englishLine = try XCTUnwrap(
            english.stdout.split(separator: "\n").first { $0.hasPrefix("Delivery \"equipe\": ") }, english.stdout)
        XCTAssertTrue(
            englishLine.hasSuffix(
                ", failed: equipe (slack): the Slack webhook refused the credentials (401): check the value in feeds.toml"
            ), String(englishLine))

        let json = try Watchctl.run(["--config", config.path, "status", "--json"], environment: Self.french)
        XCTAssertEqual(json.status, 0, json.stderr)
        let status = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let deliveries = try XCTUnwrap(status["deliveries"] as? [[String: Any]], json.stdout)
        XCTAssertEqual(
            deliveries.first?["error"] as? String,
            "equipe (slack): the Slack webhook refused the credentials (401): check the value in feeds.toml")
    }

    func testAStoreFailureIsWordedInTheRunsLanguage() throws {
        // A folder where the database file should be: SQLite cannot open it.
        let config = try fixture.writeConfig("[storage]\ndatabase = \"base\"")
        try FileManager.default.createDirectory(
            at: fixture.directory.url.appendingPathComponent("base"), withIntermediateDirectories: true)
        let (french, english) = try both(["--config", config.path, "items"], status: 1)
        XCTAssertTrue(
            french.stderr.hasPrefix(
                "watchctl: base \(fixture.directory.url.appendingPathComponent("base").path) : impossible de l'ouvrir : "
            ),
            french.stderr)
        XCTAssertTrue(french.stderr.contains("(code SQLite "), french.stderr)
        XCTAssertTrue(
            french.stderr.hasSuffix(
                "(vérifier que le fichier et son dossier sont modifiables et que le disque n'est pas plein)\n"),
            french.stderr)
        XCTAssertTrue(
            english.stderr.hasPrefix(
                "watchctl: database \(fixture.directory.url.appendingPathComponent("base").path): cannot open: "),
            english.stderr)
    }

    func testAStoreInputErrorIsBadInputInBothLanguages() throws {
        let config = try fixture.writeConfig()
        let (french, english) = try both(["--config", config.path, "search", "«»"], status: 2)
        XCTAssertTrue(
            french.stderr.contains(" : impossible de chercher : la requête « «» » n'a aucun mot à chercher\n"),
            french.stderr)
        XCTAssertTrue(
            english.stderr.contains(": cannot search: the query \"«»\" has no word to search for\n"), english.stderr)
    }

    func testUsageErrorsOfTheArgumentParserFollowTheLanguage() throws {
        let missing = try both(["fetch"], status: 2)
        XCTAssertEqual(
            missing.french.stderr,
            """
            Erreur : argument attendu manquant : « <url> »
            Usage : watchctl fetch [--config <FILE>] <url> [--json] [--kind <feed|page|change>] [--items <XPATH>] [--link <XPATH>] [--date <XPATH>] [--summary <XPATH>] [--region <XPATH>]
              Voir « watchctl fetch --help » pour plus d'informations.

            """)
        XCTAssertTrue(
            missing.english.stderr.hasPrefix("Error: Missing expected argument '<url>'\n"), missing.english.stderr)

        let unknown = try both(["items", "--frob"], status: 2)
        XCTAssertTrue(unknown.french.stderr.hasPrefix("Erreur : option inconnue « --frob »"), unknown.french.stderr)
        XCTAssertTrue(unknown.english.stderr.hasPrefix("Error: Unknown option '--frob'"), unknown.english.stderr)

        let value = try both(["parse", "--kind", "nope", "x.xml"], status: 2)
        XCTAssertTrue(
            value.french.stderr.hasPrefix(
                "Erreur : la valeur « nope » n'est pas valide pour « --kind <feed|page|change> » ; valeurs possibles : 'feed', 'page' ou 'change'\n"
            ), value.french.stderr)
        XCTAssertTrue(
            value.english.stderr.hasPrefix("Error: The value 'nope' is invalid for '--kind"), value.english.stderr)

        let extra = try both(["status", "en", "trop"], status: 2)
        XCTAssertTrue(
            extra.french.stderr.hasPrefix("Erreur : 2 arguments inattendus : 'en', 'trop'"), extra.french.stderr)

        // watchctl's own checks after parsing go the same way.
        let own = try both(["retag", "--add", "cpf"], status: 2)
        XCTAssertTrue(
            own.french.stderr.hasPrefix("Erreur : --add, --remove et --by corrigent un article"), own.french.stderr)
        XCTAssertTrue(
            own.english.stderr.hasPrefix("Error: --add, --remove and --by correct one item"), own.english.stderr)
    }

    func testFeedsFileStarterAndAuditErrorsFollowTheLanguage() throws {
        let config = try fixture.writeConfig()
        let remove = try both(["--config", config.path, "remove-feed", "https://exemple.fr/flux"], status: 2)
        XCTAssertEqual(
            remove.french.stderr,
            "watchctl: \(config.path) : aucune table [[feeds]] n'a l'url https://exemple.fr/flux (voir `watchctl list-feeds`)\n"
        )
        XCTAssertEqual(
            remove.english.stderr,
            "watchctl: \(config.path): no [[feeds]] table has url https://exemple.fr/flux (see `watchctl list-feeds`)\n"
        )

        let starter = try both(["init", fixture.directory.url.path], status: 2)
        XCTAssertTrue(
            starter.french.stderr.contains("feeds.toml existe déjà : rien n'est écrit"), starter.french.stderr)
        XCTAssertTrue(
            starter.english.stderr.contains("feeds.toml already exists: nothing written"), starter.english.stderr)

        let audit = try both(["--config", config.path, "audit", "--from", "2025-13-01"], status: 2)
        XCTAssertEqual(
            audit.french.stderr,
            "watchctl: --from : « 2025-13-01 » n'est pas une date ; écrire AAAA-MM-JJ, p. ex. 2025-12-01\n")
        XCTAssertEqual(
            audit.english.stderr, "watchctl: --from: \"2025-13-01\" is not a date; write YYYY-MM-DD, e.g. 2025-12-01\n")
    }

    func testAFileThatIsNotAFeedIsWordedInTheRunsLanguage() throws {
        let page = try fixture.directory.write(
            "<!DOCTYPE html><html><body><p>Bonjour</p></body></html>", to: "page.html")
        let (french, english) = try both(["parse", page.path], status: 2)
        XCTAssertEqual(
            french.stderr,
            "watchctl: \(page.path) : pas un flux RSS, Atom, RDF ou JSON : une page HTML ; donner un fichier RSS, Atom, RDF ou JSON Feed\n"
        )
        XCTAssertEqual(
            english.stderr,
            "watchctl: \(page.path): not an RSS, Atom, RDF or JSON feed: an HTML page; give an RSS, Atom, RDF or JSON Feed file\n"
        )
    }

    func testTheParsersReasonsAreWordedInTheRunsLanguage() throws {
        let cases: [(file: String, text: String, french: String, english: String)] = [
            ("empty.xml", "  \n", "le document est vide", "the document is empty"),
            (
                "other.xml", "<?xml version=\"1.0\"?><catalogue/>", "l'élément racine est <catalogue>",
                "the root element is <catalogue>"
            ),
            ("notes.txt", "Bonjour à tous", "ni XML ni JSON", "no XML or JSON document"),
            (
                "object.json", "{\"title\": \"x\"}", "JSON qui n'est pas un JSON Feed (pas de version jsonfeed.org)",
                "JSON that is not a JSON Feed (no jsonfeed.org version)"
            ),
        ]
        for item in cases {
            let file = try fixture.directory.write(item.text, to: item.file)
            let (french, english) = try both(["parse", file.path], status: 2)
            XCTAssertEqual(
                french.stderr,
                "watchctl: \(file.path) : pas un flux RSS, Atom, RDF ou JSON : \(item.french) ; donner un fichier RSS, Atom, RDF ou JSON Feed\n"
            )
            XCTAssertEqual(
                english.stderr,
                "watchctl: \(file.path): not an RSS, Atom, RDF or JSON feed: \(item.english); give an RSS, Atom, RDF or JSON Feed file\n"
            )
        }
    }
}
