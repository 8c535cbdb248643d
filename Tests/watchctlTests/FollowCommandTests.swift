import Foundation
import TestSupport
import XCTest

/// `watchctl follow` over a database filled by a real `watchctl poll` of a feed served on
/// 127.0.0.1: decisions recorded by id or link, history listed, typos refused with exit 2.
final class FollowCommandTests: XCTestCase {
    private var fixture: WatchctlFixture!

    static let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Centre Inffo</title><link>https://www.centre-inffo.fr/</link>
        <item><title>Référentiel national qualité : la version 9 publiée</title>
        <link>https://www.centre-inffo.fr/actu/rnq-9?utm_source=rss</link><guid isPermaLink="false">inffo-1</guid>
        <pubDate>Tue, 02 Dec 2025 10:00:00 +0100</pubDate>
        <description>Les organismes certifiés Qualiopi ont douze mois pour s'y conformer.</description></item>
        <item><title>Compte personnel de formation : le reste à charge évolue</title>
        <link>https://www.centre-inffo.fr/actu/cpf</link><guid isPermaLink="false">inffo-2</guid>
        <pubDate>Wed, 03 Dec 2025 09:00:00 +0100</pubDate>
        <description>La participation forfaitaire du CPF est revalorisée.</description></item>
        </channel></rss>
        """

    override func setUpWithError() throws {
        // Runs in French: the follow-up is the team's, and these tests read its French lines.
        fixture = try WatchctlFixture(prefix: "watchctl-follow", environment: ["LC_ALL": "fr_FR.UTF-8"])
        fixture.server.route(path: "/inffo.xml", document: Data(Self.feed.utf8))
        try fixture.writeConfig("[[feeds]]\nurl = \"\(fixture.url("/inffo.xml"))\"")
        let poll = try fixture.run(["poll"])
        XCTAssertEqual(poll.status, 0, poll.stderr)
    }

    override func tearDown() {
        fixture.remove()
    }

    /// The row ids of the polled items, by title start.
    private func itemID(_ titleStart: String) throws -> Int {
        let result = try fixture.run(["items", "--json"])
        let items = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        return try XCTUnwrap(items.first { ($0["title"] as? String)?.hasPrefix(titleStart) == true }?["id"] as? Int)
    }

    private func list(_ extra: [String] = []) throws -> [[String: Any]] {
        let result = try fixture.run(["follow", "--list", "--json"] + extra)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], result.stdout)
    }

    func testFollowByIdThenByLinkBuildsTheHistoryShownByListJSON() throws {
        let rnq = try itemID("Référentiel")
        let first = try fixture.run([
            "follow", String(rnq), "--state", "a-exploiter", "--owner", "Claire", "--note",
            "Mettre à jour la procédure",
        ])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(
            first.stdout, "réf. \(rnq) → à exploiter (Claire) : Référentiel national qualité : la version 9 publiée\n")
        // The link as shared in a chat, with another tracking parameter: same item.
        let second = try fixture.run([
            "follow", "https://www.centre-inffo.fr/actu/rnq-9?utm_campaign=x", "--state", "done", "--note",
            "Procédure v3 diffusée",
        ])
        XCTAssertEqual(second.status, 0, second.stderr)

        let items = try list()
        XCTAssertEqual(items.count, 1)
        let item = items[0]
        XCTAssertEqual(Set(item.keys), ["id", "title", "link", "feed", "state", "since", "owner", "note", "history"])
        XCTAssertEqual(item["id"] as? Int, rnq)
        XCTAssertEqual(item["state"] as? String, "done")
        XCTAssertEqual(item["owner"] as? String, "Claire", "a change without --owner keeps the owner")
        XCTAssertEqual(item["note"] as? String, "Procédure v3 diffusée")
        let history = try XCTUnwrap(item["history"] as? [[String: Any]])
        XCTAssertEqual(history.map { $0["state"] as? String }, ["to-act", "done"])
        XCTAssertEqual(history.map { $0["note"] as? String }, ["Mettre à jour la procédure", "Procédure v3 diffusée"])
        XCTAssertEqual(history[0]["owner"] as? String, "Claire")
        XCTAssertTrue(history[1]["owner"] is NSNull)
        for change in history {
            XCTAssertNotNil(
                (change["time"] as? String)?.range(
                    of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression))
        }
    }

    func testListFiltersOnStateAcceptingAccentsAndEnglish() throws {
        let rnq = try itemID("Référentiel")
        let cpf = try itemID("Compte personnel")
        XCTAssertEqual(try fixture.run(["follow", String(rnq), "--state", "À exploiter"]).status, 0)
        XCTAssertEqual(try fixture.run(["follow", String(cpf), "--state", "sans-suite"]).status, 0)
        XCTAssertEqual(try list(["--state", "to-act"]).map { $0["id"] as? Int }, [rnq])
        XCTAssertEqual(try list(["--state", "sans suite"]).map { $0["id"] as? Int }, [cpf])
        XCTAssertEqual(try list(["--state", "exploite"]).count, 0)

        let table = try fixture.run(["follow", "--list"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let lines = table.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, table.stdout)
        XCTAssertTrue(lines[0].hasPrefix("N°"))
        XCTAssertTrue(lines[1].contains("à exploiter") && lines[1].contains("Référentiel"), table.stdout)
        XCTAssertTrue(lines[2].contains("sans suite") && lines[2].contains("Compte personnel"), table.stdout)
    }

    func testUnknownStateExitsTwoListingTheAcceptedValues() throws {
        let rnq = try itemID("Référentiel")
        let result = try fixture.run(["follow", String(rnq), "--state", "fini"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "")
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(
            result.stderr.contains("« fini »") && result.stderr.contains("à exploiter")
                && result.stderr.contains("to-act"), result.stderr)
        XCTAssertEqual(try list().count, 0)
    }

    func testUnknownItemExitsTwoNamingIt() throws {
        for reference in ["424242", "https://www.centre-inffo.fr/actu/absent"] {
            let result = try fixture.run(["follow", reference, "--state", "done"])
            XCTAssertEqual(result.status, 2, reference)
            XCTAssertTrue(result.stderr.contains(reference), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
    }

    func testContradictoryOrIncompleteArgumentsAreUsageErrors() throws {
        XCTAssertEqual(try fixture.run(["follow", "--state", "done"]).status, 2, "a state needs an ITEM")
        XCTAssertEqual(
            try fixture.run(["follow", "1", "--list", "--state", "done"]).status, 2,
            "--state filters the list of all items")
        XCTAssertEqual(try fixture.run(["follow", "--list", "--note", "x"]).status, 2)
        XCTAssertEqual(try fixture.run(["follow", "1", "--note", "x", "--json"]).status, 2)
        XCTAssertEqual(try list().count, 0, "nothing recorded")
    }

    func testANoteAloneKeepsTheStateAndTheOwner() throws {
        let rnq = try itemID("Référentiel")
        XCTAssertEqual(
            try fixture.run(["follow", String(rnq), "--state", "a-exploiter", "--owner", "Claire"]).status, 0)
        let noted = try fixture.run(["follow", String(rnq), "--note", "Vu avec la direction, à diffuser le 12/12"])
        XCTAssertEqual(noted.status, 0, noted.stderr)
        XCTAssertTrue(
            noted.stdout.hasPrefix("réf. \(rnq) → à exploiter (état inchangé, note ajoutée) (Claire) : "), noted.stdout)

        let item = try XCTUnwrap(try list().first)
        XCTAssertEqual(item["state"] as? String, "to-act")
        XCTAssertEqual(item["owner"] as? String, "Claire")
        XCTAssertEqual(item["note"] as? String, "Vu avec la direction, à diffuser le 12/12")
        let history = try XCTUnwrap(item["history"] as? [[String: Any]])
        XCTAssertEqual(
            history.map { $0["state"] as? String }, ["to-act", "to-act"], "the note is a dated line of its own")
        XCTAssertTrue(history[1]["owner"] is NSNull, "the note line names no new owner")

        // An owner alone hands the follow-up over, state unchanged.
        let handed = try fixture.run(["follow", String(rnq), "--owner", "Inès"])
        XCTAssertEqual(handed.status, 0, handed.stderr)
        XCTAssertTrue(handed.stdout.contains("(état inchangé) (Inès)"), handed.stdout)
        XCTAssertEqual(try list().first?["state"] as? String, "to-act")
        XCTAssertEqual(try list().first?["owner"] as? String, "Inès")
    }

    func testANoteOnAnItemWithNoDecisionYetRecordsItAsNew() throws {
        let cpf = try itemID("Compte personnel")
        let noted = try fixture.run(["follow", String(cpf), "--note", "À surveiller : décret attendu"])
        XCTAssertEqual(noted.status, 0, noted.stderr)
        let items = try list()
        XCTAssertEqual(items.map { $0["id"] as? Int }, [cpf], "a noted item is in the follow-up list")
        XCTAssertEqual(items[0]["state"] as? String, "new")
        XCTAssertEqual(items[0]["note"] as? String, "À surveiller : décret attendu")
    }

    func testListWithAnItemShowsItsWholeHistory() throws {
        let rnq = try itemID("Référentiel")
        XCTAssertEqual(try fixture.run(["follow", String(rnq), "--state", "à lire", "--owner", "Claire"]).status, 0)
        XCTAssertEqual(try fixture.run(["follow", String(rnq), "--note", "Lu : impacte l'indicateur 23"]).status, 0)
        XCTAssertEqual(
            try fixture.run(["follow", String(rnq), "--state", "exploité", "--note", "Procédure v3 diffusée"]).status, 0
        )

        let text = try fixture.run(["follow", String(rnq), "--list"])
        XCTAssertEqual(text.status, 0, text.stderr)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "réf. \(rnq) · Référentiel national qualité : la version 9 publiée", text.stdout)
        XCTAssertTrue(lines[1].contains("https://www.centre-inffo.fr/actu/rnq-9"), text.stdout)
        XCTAssertTrue(
            lines[2].hasPrefix("état : exploité depuis le ") && lines[2].contains("responsable : Claire"), text.stdout)
        let rows = lines.drop { !$0.hasPrefix("DATE") }.dropFirst()
        XCTAssertEqual(rows.count, 3, text.stdout)
        XCTAssertTrue(rows[rows.startIndex].contains("à lire") && rows[rows.startIndex].contains("Claire"), text.stdout)
        XCTAssertTrue(rows[rows.startIndex + 1].contains("Lu : impacte l'indicateur 23"), text.stdout)
        XCTAssertTrue(
            rows[rows.startIndex + 2].contains("exploité")
                && rows[rows.startIndex + 2].contains("Procédure v3 diffusée"), text.stdout)
        XCTAssertEqual(
            try fixture.run(["follow", String(rnq)]).stdout, text.stdout, "ITEM alone shows the same history")

        let json = try fixture.run(["follow", String(rnq), "--list", "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let item = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.stdout)
        XCTAssertEqual(Set(item.keys), ["id", "title", "link", "feed", "state", "since", "owner", "note", "history"])
        XCTAssertEqual(item["state"] as? String, "done")
        XCTAssertEqual(
            (item["history"] as? [[String: Any]])?.map { $0["state"] as? String }, ["to-read", "to-read", "done"])

        // An item nobody decided anything about: new, an empty history.
        let cpf = try itemID("Compte personnel")
        let untouched = try fixture.run(["follow", String(cpf), "--list", "--json"])
        XCTAssertEqual(untouched.status, 0, untouched.stderr)
        let fresh = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(untouched.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(fresh["state"] as? String, "new")
        XCTAssertTrue(fresh["since"] is NSNull)
        XCTAssertEqual((fresh["history"] as? [Any])?.count, 0)
        let freshText = try fixture.run(["follow", String(cpf), "--list"])
        XCTAssertTrue(freshText.stdout.contains("état : nouveau, aucune décision enregistrée"), freshText.stdout)
    }

    func testAReferencePastedFromTheDigestNamesTheItem() throws {
        let rnq = try itemID("Référentiel")
        let pasted = [
            "réf. \(rnq)", "réf.\(rnq)", "Réf. \(rnq)", "ref \(rnq)", "REF.\(rnq)", "#\(rnq)", " réf. \(rnq) ",
        ]
        for reference in pasted {
            let result = try fixture.run(["follow", reference, "--note", "vu (\(reference))"])
            XCTAssertEqual(result.status, 0, "\(reference): \(result.stderr)")
        }
        let history = try XCTUnwrap(try list().first?["history"] as? [[String: Any]])
        XCTAssertEqual(history.count, pasted.count)
        for reference in ["réf. 424242", "réf. quarante-deux", "page 42"] {
            let result = try fixture.run(["follow", reference, "--state", "done"])
            XCTAssertEqual(result.status, 2, reference)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
    }
}
