import Foundation
import TestSupport
import XCTest

/// `watchctl retag ID --add/--remove [--by]` and `watchctl tag --evaluate` through the real
/// binary, a real feeds.toml, a real SQLite file and a loopback HTTP server: a team's
/// correction overrides the rules in items, search, the digest and the audit, survives a full
/// retag and a changed item, and is what the rules are scored against.
final class TopicCorrectionCommandTests: XCTestCase {
    var fixture: WatchctlFixture!

    static let tables = """
        [storage]
        database = "state/regwatch.sqlite"

        [[topics]]
        id = "orientation"
        label = "Orientation"
        terms = ["salon de l'orientation"]
        """

    /// Three items of a training-news feed: one the rules give `cpf` and the team does not want
    /// there (a job offer for a CPF call centre without the marks of an offer: no "H/F", no
    /// "Offre d'emploi", no contract), one Qualiopi item, one about orientation.
    static func feed(offerTitle: String = "Conseiller CPF en centre d'appels à Lyon")
        -> Data
    {
        let items = [
            ("offre", offerTitle, "Vous répondez aux appels des titulaires et traitez leurs demandes."),
            (
                "qualiopi", "Audit de surveillance Qualiopi : le guide de lecture mis à jour",
                "Le ministère précise les preuves attendues."
            ),
            ("salon", "Agenda des salons de l'orientation", "Les dates de janvier à mars."),
        ]
        return Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Veille formation</title><link>https://example.fr/</link>
            \(items.map { "<item><title>\($0.1)</title><link>https://example.fr/\($0.0)</link><guid>\($0.0)</guid><description>\($0.2)</description></item>" }.joined())
            </channel></rss>
            """.utf8)
    }

    override func setUpWithError() throws {
        // In English unless a run says otherwise.
        fixture = try WatchctlFixture(environment: ["LC_ALL": "C.UTF-8"], runsInDirectory: true)
        try fixture.writeConfig(Self.tables)
        fixture.server.route(path: "/veille.xml", document: Self.feed())
        XCTAssertEqual(try fixture.run(["add-feed", fixture.url("/veille.xml"), "--no-check"]).status, 0)
        let poll = try fixture.run(["poll"])
        XCTAssertEqual(poll.status, 0, poll.stderr)
    }

    override func tearDown() {
        fixture.remove()
    }

    func json(_ result: Watchctl.Result, file: StaticString = #filePath, line: UInt = #line) throws
        -> Any
    {
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    /// id of the stored item whose title starts with `prefix`.
    func itemID(_ prefix: String) throws -> Int {
        let items = try XCTUnwrap(try json(fixture.run(["items", "--json"])) as? [[String: Any]])
        return try XCTUnwrap(
            items.first { ($0["title"] as? String)?.hasPrefix(prefix) == true }?["id"] as? Int)
    }

    func topics(of id: Int, in command: [String]) throws -> [String]? {
        let items = try XCTUnwrap(try json(fixture.run(command)) as? [[String: Any]])
        return items.first { $0["id"] as? Int == id }?["topics"] as? [String]
    }

    func testACorrectionOverridesTheRulesEverywhereAndSurvivesRetagAndChanges() throws {
        let offer = try itemID("Conseiller CPF")
        XCTAssertEqual(
            try topics(of: offer, in: ["items", "--json"]), ["cpf"],
            "the rules' mistake this test corrects")

        let correction = try fixture.run([
            "retag", String(offer), "--remove", "cpf", "--add", "orientation", "--by", "Claire",
        ])
        XCTAssertEqual(correction.status, 0, correction.stderr)
        XCTAssertEqual(correction.stdout, "item \(offer) corrected by Claire; topics: orientation\n")

        XCTAssertEqual(try topics(of: offer, in: ["items", "--json"]), ["orientation"])
        XCTAssertEqual(try topics(of: offer, in: ["items", "--topic", "cpf", "--json"]), nil)
        XCTAssertEqual(try topics(of: offer, in: ["search", "conseiller", "--json"]), ["orientation"])

        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let now = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: Date())
        let week = String(format: "%04d-W%02d", now.yearForWeekOfYear!, now.weekOfYear!)
        let digest = try XCTUnwrap(
            try json(fixture.run(["digest", "--week", week, "--format", "json", "--output", "-"]))
                as? [String: Any])
        let digestItems = try XCTUnwrap(digest["items"] as? [[String: Any]])
        let digestOffer = try XCTUnwrap(
            digestItems.first { ($0["title"] as? String)?.hasPrefix("Conseiller CPF") == true })
        XCTAssertEqual(digestOffer["topics"] as? [String], ["orientation"])

        let audit = fixture.file("audit.json")
        let auditRun = try fixture.run([
            "audit", "--from", "2025-01-01", "--format", "json", "--output", audit.path,
        ])
        XCTAssertEqual(auditRun.status, 0, auditRun.stderr)
        let auditTopics = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(contentsOf: audit)) as? [String: Any])?["topics"]
                as? [[String: Any]])
        XCTAssertFalse(
            auditTopics.contains { $0["topic"] as? String == "cpf" },
            "the corrected item was the only CPF one")

        let retag = try fixture.run(["retag"], environment: ["LC_ALL": "fr_FR.UTF-8"])
        XCTAssertEqual(retag.status, 0, retag.stderr)
        XCTAssertTrue(retag.stdout.contains("3 articles relus, 0 ont changé"), retag.stdout)
        XCTAssertEqual(try topics(of: offer, in: ["items", "--json"]), ["orientation"])

        // The feed rewrites the offer: the poll retags it, and the correction still holds.
        fixture.server.route(
            path: "/veille.xml",
            document: Self.feed(
                offerTitle: "Conseiller CPF en centre d'appels à Lyon et Rennes"))
        XCTAssertEqual(try fixture.run(["poll"]).status, 0)
        XCTAssertEqual(try topics(of: offer, in: ["items", "--json"]), ["orientation"])
    }

    func testTheLatestCorrectionOfATopicWinsAndFrenchLocalesReadFrench() throws {
        let offer = try itemID("Conseiller CPF")
        XCTAssertEqual(
            try fixture.run(["retag", String(offer), "--remove", "cpf", "--by", "Claire"]).status, 0)
        let again = try fixture.run(
            ["retag", String(offer), "--add", "cpf", "--by", "Karim"], environment: ["LC_ALL": "fr_FR.UTF-8"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout, "réf. \(offer) corrigé par Karim ; sujets : cpf\n")
        XCTAssertEqual(try topics(of: offer, in: ["items", "--json"]), ["cpf"])
    }

    func testTheAuthorDefaultsToTheUser() throws {
        let offer = try itemID("Conseiller CPF")
        let result = try fixture.run(
            ["retag", String(offer), "--remove", "cpf"], environment: ["USER": "mathilde"])
        XCTAssertEqual(
            result.stdout, "item \(offer) corrected by mathilde; topics: none\n", result.stderr)
    }

    func testTopicsAreTakenAsPeopleTypeThem() throws {
        let offer = try itemID("Conseiller CPF")
        let result = try fixture.run([
            "retag", String(offer), "--add", "Qualiopi", "--add", "neurodiversité", "--remove", "CPF", "--by", "Claire",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(Set(try topics(of: offer, in: ["items", "--json"]) ?? []), ["qualiopi", "neurodiversite"])
    }

    func testUnknownItemOrTopicExitsTwoWithOneLine() throws {
        let offer = try itemID("Conseiller CPF")
        let cases: [([String], String)] = [
            (["retag", "999", "--add", "cpf"], "no stored item \"999\""),
            (
                ["retag", String(offer), "--add", "apprentissage"],
                "--add \"apprentissage\": unknown topic (valid: cpf (CPF), qualiopi (Qualiopi), ia (IA), neurodiversite (Neurodiversité), orientation (Orientation)"
            ),
            (["retag", String(offer), "--remove", "astrologie"], "--remove \"astrologie\": unknown topic"),
            (["retag", String(offer), "--add", "cpf", "--remove", "cpf"], "both in --add and --remove"),
            (["retag", String(offer)], "needs --add TOPIC or --remove TOPIC"),
            (["retag", "--add", "cpf"], "name its ID"),
            (["tag", "some text", "--evaluate"], "drop TEXT"),
        ]
        for (arguments, message) in cases {
            let result = try fixture.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
            let lines = result.stderr.split(separator: "\n")
            XCTAssertTrue(lines.first?.contains(message) == true, "\(arguments): \(result.stderr)")
            // Bad data is one line; a bad combination of options is followed by the usage, like
            // every other usage error of watchctl.
            if lines.first?.hasPrefix("Error:") == false {
                XCTAssertEqual(lines.count, 1, "\(arguments): \(result.stderr)")
            }
        }
        XCTAssertEqual(try topics(of: offer, in: ["items", "--json"]), ["cpf"], "nothing recorded")
    }

    func testEvaluateScoresTheRulesTeamTopicsIncludedAgainstTheCorrections() throws {
        let empty = try fixture.run(["tag", "--evaluate"])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertTrue(empty.stdout.hasPrefix("no corrections recorded"), empty.stdout)

        let offer = try itemID("Conseiller CPF")
        let audit = try itemID("Audit de surveillance")
        let salon = try itemID("Agenda des salons")
        XCTAssertEqual(try fixture.run(["retag", String(offer), "--remove", "cpf"]).status, 0)
        // Reviewing an item the rules got right confirms its topics: the team adds one, keeps the other.
        XCTAssertEqual(try fixture.run(["retag", String(audit), "--add", "orientation"]).status, 0)
        XCTAssertEqual(try fixture.run(["retag", String(salon), "--add", "orientation"]).status, 0)

        let report = try XCTUnwrap(try json(fixture.run(["tag", "--evaluate", "--json"])) as? [String: Any])
        XCTAssertEqual(report["items"] as? Int, 3)
        let scores = Dictionary(
            uniqueKeysWithValues: try XCTUnwrap(report["topics"] as? [[String: Any]]).map {
                ($0["id"] as! String, $0)
            })
        XCTAssertEqual(Set(scores.keys), ["cpf", "qualiopi", "ia", "neurodiversite", "orientation"])
        XCTAssertEqual(scores["cpf"]?["precision"] as? Double, 0)
        XCTAssertEqual(scores["cpf"]?["false_positives"] as? Int, 1)
        XCTAssertTrue(scores["cpf"]?["recall"] is NSNull, "no reviewed item is about the CPF")
        XCTAssertEqual(scores["qualiopi"]?["f1"] as? Double, 1)
        XCTAssertEqual(scores["orientation"]?["true_positives"] as? Int, 1)
        XCTAssertEqual(scores["orientation"]?["false_negatives"] as? Int, 1)
        XCTAssertEqual(scores["orientation"]?["recall"] as? Double, 0.5)
        XCTAssertTrue(scores["ia"]?["f1"] is NSNull)
        let wrong = try XCTUnwrap(report["wrong"] as? [[String: Any]])
        XCTAssertEqual(wrong.map { $0["id"] as? Int }, [offer, audit])
        XCTAssertEqual(wrong[0]["expected"] as? [String], [])
        XCTAssertEqual(wrong[0]["found"] as? [String], ["cpf"])
        XCTAssertEqual(wrong[1]["expected"] as? [String], ["orientation", "qualiopi"])
        XCTAssertEqual(wrong[1]["found"] as? [String], ["qualiopi"])

        // The team tunes its own topic; the evaluation shows the gain.
        let text = try String(contentsOf: fixture.config, encoding: .utf8)
        try text.replacingOccurrences(
            of: "terms = [\"salon de l'orientation\"]",
            with: "terms = [\"salon de l'orientation\", \"guide de lecture\"]"
        )
        .write(to: fixture.config, atomically: true, encoding: .utf8)
        let tuned = try XCTUnwrap(try json(fixture.run(["tag", "--evaluate", "--json"])) as? [String: Any])
        let orientation = try XCTUnwrap(
            (tuned["topics"] as? [[String: Any]])?.first { $0["id"] as? String == "orientation" })
        XCTAssertEqual(orientation["f1"] as? Double, 1)

        let human = try fixture.run(["tag", "--evaluate"], environment: ["LC_ALL": "fr_FR.UTF-8"])
        XCTAssertEqual(human.status, 0, human.stderr)
        XCTAssertTrue(
            human.stdout.hasPrefix("règles évaluées sur 3 articles corrigés par l'équipe\nSUJET"),
            human.stdout)
        XCTAssertTrue(human.stdout.contains("réf. \(offer)  +cpf  Conseiller CPF"), human.stdout)
    }
}
