import Foundation
import TestSupport
import XCTest

/// `--topic` as people type it: the label `status` shows (`Qualiopi`, `neurodiversité`) or the
/// id, any case, accents optional, through `items` and `add-feed` on a real feeds.toml and a
/// database filled by a real poll; an unknown topic is one line listing the valid ones, exit 2.
final class TopicArgumentTests: XCTestCase {
    private var fixture: WatchctlFixture!

    static let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Centre Inffo</title><link>https://www.centre-inffo.fr/</link>
        <item><title>Qualiopi : le guide de lecture du référentiel national qualité, version 9</title>
        <link>https://www.centre-inffo.fr/actu/rnq-9</link><guid>inffo-1</guid>
        <pubDate>Tue, 02 Dec 2025 10:00:00 +0100</pubDate>
        <description>Les organismes certifiés ont douze mois pour s'y conformer.</description></item>
        <item><title>TDAH et dyslexie : aménager les évaluations en formation</title>
        <link>https://www.centre-inffo.fr/actu/dys</link><guid>inffo-2</guid>
        <pubDate>Wed, 03 Dec 2025 09:00:00 +0100</pubDate>
        <description>La neurodiversité des apprenants, un enjeu d'accessibilité.</description></item>
        <item><title>Salon de l'orientation : le calendrier 2026</title>
        <link>https://www.centre-inffo.fr/actu/salons</link><guid>inffo-3</guid>
        <pubDate>Thu, 04 Dec 2025 09:00:00 +0100</pubDate>
        <description>Les dates des salons de l'orientation en région.</description></item>
        </channel></rss>
        """

    override func setUpWithError() throws {
        fixture = try WatchctlFixture(prefix: "watchctl-topic")
        fixture.server.route(path: "/inffo.xml", document: Data(Self.feed.utf8))
        try fixture.writeConfig(
            """
            [[topics]]
            id = "orientation"
            label = "Orientation professionnelle"
            terms = ["salon de l'orientation"]

            [[feeds]]
            url = "\(fixture.url("/inffo.xml"))"
            """)
        let poll = try fixture.run(["poll"])
        XCTAssertEqual(poll.status, 0, poll.stderr)
    }

    override func tearDown() {
        fixture.remove()
    }

    private func titles(topic: String) throws -> [String] {
        let result = try fixture.run(["items", "--topic", topic, "--json"])
        XCTAssertEqual(result.status, 0, "--topic \(topic): \(result.stderr)")
        let items = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        return items.compactMap { $0["title"] as? String }
    }

    func testItemsTakesTheLabelOrTheIdInAnyCaseWithOrWithoutAccents() throws {
        let qualiopi = ["Qualiopi : le guide de lecture du référentiel national qualité, version 9"]
        for typed in ["qualiopi", "Qualiopi", "QUALIOPI"] {
            XCTAssertEqual(try titles(topic: typed), qualiopi, typed)
        }
        let neuro = ["TDAH et dyslexie : aménager les évaluations en formation"]
        for typed in ["neurodiversite", "neurodiversité", "Neurodiversité", "NEURO-DIVERSITÉ", "Neuro diversite"] {
            XCTAssertEqual(try titles(topic: typed), neuro, typed)
        }
    }

    func testATopicOfOnesOwnIsFoundByItsLabelToo() throws {
        let salons = ["Salon de l'orientation : le calendrier 2026"]
        XCTAssertEqual(try titles(topic: "orientation"), salons)
        XCTAssertEqual(try titles(topic: "Orientation professionnelle"), salons)
        XCTAssertEqual(try titles(topic: "orientation-professionnelle"), salons)
    }

    func testAnUnknownTopicIsOneLineListingTheValidIdsAndLabels() throws {
        let result = try fixture.run(["items", "--topic", "Qualiopy"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        for expected in [
            "--topic \"Qualiopy\"", "cpf (CPF)", "qualiopi (Qualiopi)", "ia (IA)", "neurodiversite (Neurodiversité)",
            "orientation (Orientation professionnelle)",
        ] {
            XCTAssertTrue(result.stderr.contains(expected), "missing \(expected): \(result.stderr)")
        }
        XCTAssertFalse(result.stderr.contains("Usage"), "a topic error is not a usage dump: \(result.stderr)")
    }

    func testAddFeedWritesTheIdOfTheTopicNamedByItsLabel() throws {
        let url = fixture.url("/other.xml")
        let result = try fixture.run(["add-feed", url, "--no-check", "--topic", "Neurodiversité", "--topic", "CPF"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOf: fixture.config, encoding: .utf8)
        XCTAssertTrue(text.contains("topics = [\"neurodiversite\", \"cpf\"]"), text)
        XCTAssertEqual(try fixture.run(["check-config"]).status, 0)

        let unknown = try fixture.run([
            "add-feed", fixture.url("/third.xml"), "--no-check", "--topic", "astrologie",
        ])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.stderr.split(separator: "\n").count, 1, unknown.stderr)
        XCTAssertTrue(
            unknown.stderr.contains("\"astrologie\"") && unknown.stderr.contains("qualiopi (Qualiopi)"), unknown.stderr)
        XCTAssertEqual(try String(contentsOf: fixture.config, encoding: .utf8), text, "nothing written")
    }
}
