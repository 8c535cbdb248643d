import Foundation
import RegWatch
import TestSupport
import XCTest

/// `watchctl digest --deliver` against real servers on loopback: a Synapse homeserver (the
/// room read back as a client would) and a WsgiDAV folder with Basic authentication.
final class DeliveryServerTests: XCTestCase {
    typealias F = DigestFixtures

    static let hostileTitle = "<script>alert(1)</script> & <a href=\"javascript:x\">Qualiopi</a> @room"

    private func fixture() throws -> DigestStoreFixture {
        let fixture = try DigestStoreFixture(readingMinutes: 15, smtpURL: nil)
        try fixture.store(
            DigestCandidate(
                id: 0, shortID: "hostile", title: Self.hostileTitle, link: "https://www.centre-inffo.fr/qualiopi",
                source: "Centre Inffo", published: F.paris(4, 9), firstSeen: F.paris(4, 10),
                topics: [TopicScore(.qualiopi, 5)]))
        return fixture
    }

    private func append(_ toml: String, to fixture: DigestStoreFixture) throws {
        let text = try String(contentsOf: fixture.configFile, encoding: .utf8) + "\n" + toml
        try Data(text.utf8).write(to: fixture.configFile)
    }

    func testMatrixRoomGetsOneMessageWithSafeHTMLAndARetryNeverPostsTwice() throws {
        guard PythonServices.has("synapse") else {
            throw XCTSkip("Synapse is not installed: \(PythonServices.howToInstall)")
        }
        let synapse = try SynapseServer()
        defer { synapse.stop() }
        let token = try synapse.register(user: "veille", password: "mot-de-passe-long")
        let room = try synapse.createRoom(alias: "veille-equipe", token: token)
        let fixture = try fixture()
        defer { fixture.remove() }
        try append(
            """
            [[deliver]]
            name = "element"
            type = "matrix"
            homeserver = "\(synapse.url.absoluteString)"
            room = "#veille-equipe:localhost"
            token_env = "REGWATCH_TEST_MATRIX_TOKEN"
            """, to: fixture)
        let environment = ["REGWATCH_TEST_MATRIX_TOKEN": token]
        let arguments = ["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--deliver"]
        let first = try Watchctl.run(arguments, environment: environment)
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)

        let messages = try synapse.messages(room: room, token: token)
        XCTAssertEqual(messages.count, 1)
        let content = try XCTUnwrap(messages.first?["content"] as? [String: Any])
        XCTAssertEqual(content["msgtype"] as? String, "m.text")
        XCTAssertEqual(content["format"] as? String, "org.matrix.custom.html")
        let body = try XCTUnwrap(content["body"] as? String)
        XCTAssertTrue(body.contains("Veille réglementaire — Semaine 2025-W49"), body)
        let html = try XCTUnwrap(content["formatted_body"] as? String)
        XCTAssertTrue(html.contains("<a href=\"https://www.legifrance.gouv.fr/"), html)
        XCTAssertFalse(html.contains("<script"), html)
        XCTAssertFalse(html.contains("href=\"javascript"), html)
        XCTAssertTrue(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;a href=&quot;javascript:x&quot;&gt;"), html)
        // The delivery is recorded with the event id.
        let rows = try fixture.database.deliveries(from: .distantPast, to: .distantFuture)
        XCTAssertEqual(rows.map(\.remoteID), [messages.first?["event_id"] as? String])

        // Again: recorded as delivered, nothing posted.
        let second = try Watchctl.run(arguments, environment: environment)
        XCTAssertTrue(second.stdout.contains("element: already delivered"), second.stdout)
        XCTAssertEqual(try synapse.messages(room: room, token: token).count, 1)

        // A retry after a lost answer (the record says nothing was delivered): the same
        // transaction id, which the homeserver answers with the first event.
        try Self.sqlite(fixture, "DELETE FROM digestDelivery")
        let retried = try Watchctl.run(arguments, environment: environment)
        XCTAssertEqual(retried.status, 0, retried.stdout + retried.stderr)
        XCTAssertEqual(try synapse.messages(room: room, token: token).count, 1, "a retried transaction posts once")

        // A wrong token: one line that says which variable to check.
        let refused = try Watchctl.run(
            arguments + ["--force"], environment: ["REGWATCH_TEST_MATRIX_TOKEN": "syt_wrong"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(
            refused.stdout.contains(
                "element (matrix): the Matrix homeserver refused the credentials (401): check $REGWATCH_TEST_MATRIX_TOKEN"
            ), refused.stdout)
    }

    func testWebDAVFolderGetsTheWeeksMarkdownAndHTMLOnce() throws {
        guard PythonServices.has("wsgidav") else {
            throw XCTSkip("WsgiDAV is not installed: \(PythonServices.howToInstall)")
        }
        let dav = try WsgiDAVServer(user: "veille", password: "mot-de-passe")
        defer { dav.stop() }
        let fixture = try fixture()
        defer { fixture.remove() }
        try append(
            """
            [[deliver]]
            name = "nextcloud"
            type = "webdav"
            url = "\(dav.url(for: "/Veille%20r%C3%A9glementaire/2025").absoluteString)"
            user = "veille"
            password_env = "REGWATCH_TEST_DAV_PASSWORD"
            """, to: fixture)
        // The parent folder exists on a real share; the week's folder is made if needed.
        try FileManager.default.createDirectory(
            at: dav.root.appendingPathComponent("Veille réglementaire"), withIntermediateDirectories: true)
        let arguments = ["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--deliver"]
        let run = try Watchctl.run(arguments, environment: ["REGWATCH_TEST_DAV_PASSWORD": "mot-de-passe"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let folder = dav.root.appendingPathComponent("Veille réglementaire/2025")
        let markdown = try String(contentsOf: folder.appendingPathComponent("regwatch-2025-W49.md"), encoding: .utf8)
        XCTAssertEqual(
            markdown, try String(contentsOf: fixture.folder.file("digests/regwatch-2025-W49.md"), encoding: .utf8))
        let html = try String(contentsOf: folder.appendingPathComponent("regwatch-2025-W49.html"), encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("<script>"), html)

        // A second run rewrites nothing.
        let written =
            try FileManager.default.attributesOfItem(
                atPath: folder.appendingPathComponent("regwatch-2025-W49.md").path)[.modificationDate] as? Date
        try FileManager.default.removeItem(at: folder.appendingPathComponent("regwatch-2025-W49.html"))
        let again = try Watchctl.run(arguments, environment: ["REGWATCH_TEST_DAV_PASSWORD": "mot-de-passe"])
        XCTAssertTrue(again.stdout.contains("nextcloud: already delivered"), again.stdout)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("regwatch-2025-W49.html").path))
        XCTAssertEqual(
            try FileManager.default.attributesOfItem(
                atPath: folder.appendingPathComponent("regwatch-2025-W49.md").path)[.modificationDate] as? Date,
            written)

        // A wrong password: one line naming the variable.
        let refused = try Watchctl.run(arguments + ["--force"], environment: ["REGWATCH_TEST_DAV_PASSWORD": "faux"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(
            refused.stdout.contains(
                "nextcloud (webdav): the WebDAV server refused the credentials (401): check $REGWATCH_TEST_DAV_PASSWORD"
            ), refused.stdout)
    }

    static func sqlite(_ fixture: DigestStoreFixture, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [fixture.configuration.storage.database.path, sql]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
