import Foundation
import RegWatch
import TestSupport
import Synchronization
import XCTest

/// `watchctl digest --deliver` to the services that run nowhere here (Slack, Teams, Notion,
/// a signed webhook): a loopback endpoint records each request, and the tests check the
/// payloads against the services' documented formats and limits, escaping included, then
/// the answers a real service gives on bad days (429, 401, 404, 500, no answer).
final class DeliveryHTTPTargetTests: XCTestCase {
    typealias F = DigestFixtures

    private var server: LoopbackHTTPServer!
    private var fixture: DigestStoreFixture!

    /// A title written to break every format: Slack mentions and links, HTML, Markdown.
    static let hostileTitle =
        "@channel <!here> <https://evil.example|clic> & <b>gras</b> **x** [l](javascript:alert(1))"

    override func setUpWithError() throws {
        server = try LoopbackHTTPServer()
        fixture = try DigestStoreFixture(readingMinutes: 15, smtpURL: nil)
        try fixture.store(
            DigestCandidate(
                id: 0, shortID: "hostile", title: Self.hostileTitle,
                link: "https://www.centre-inffo.fr/hostile?a=1|b>2",
                source: "Centre Inffo", published: F.paris(4, 9), firstSeen: F.paris(4, 10),
                summary: "Texte @here avec <script>alert(1)</script> et *gras*.", topics: [TopicScore(.qualiopi, 5)]))
    }

    override func tearDown() {
        server.stop()
        fixture.remove()
    }

    private func addTargets(_ toml: String) throws {
        let text = try String(contentsOf: fixture.configFile, encoding: .utf8) + "\n" + toml
        try Data(text.utf8).write(to: fixture.configFile)
    }

    private func deliver(_ extra: [String] = [], environment: [String: String] = [:]) throws -> Watchctl.Result {
        try Watchctl.run(
            ["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--deliver"] + extra,
            environment: environment)
    }

    private func json(_ data: Data) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testSlackGetsMrkdwnWithLinksEscapedTextAndNoMention() throws {
        server.route("/hooks/T0/B0/secret") { _ in .init(text: "ok") }
        try addTargets(
            """
            [[deliver]]
            name = "equipe-slack"
            type = "slack"
            url_env = "REGWATCH_TEST_SLACK_URL"
            """)
        let run = try deliver(environment: [
            "REGWATCH_TEST_SLACK_URL": server.url(for: "/hooks/T0/B0/secret").absoluteString
        ])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("equipe-slack: delivered"), run.stdout)
        let requests = server.requests(path: "/hooks/T0/B0/secret")
        XCTAssertGreaterThanOrEqual(requests.count, 1)
        let texts = try requests.map { try XCTUnwrap(json($0.body)["text"] as? String) }
        for text in texts { XCTAssertLessThanOrEqual(text.count, 3_500) }
        let all = texts.joined(separator: "\n")
        XCTAssertTrue(all.contains("*Veille réglementaire — Semaine 2025-W49*"), all)
        XCTAssertTrue(all.contains("<https://www.legifrance.gouv.fr/"), all)
        // The hostile title: no mention, no link of its own, entities escaped.
        XCTAssertFalse(all.contains("@channel"), all)
        XCTAssertFalse(all.contains("@here"), all)
        XCTAssertFalse(all.contains("<!here>"), all)
        XCTAssertFalse(all.contains("<https://evil.example"), all)
        XCTAssertTrue(
            all.contains("&lt;!here&gt; &lt;https://evil.example|clic&gt; &amp; &lt;b&gt;gras&lt;/b&gt;"), all)
        // Its own link keeps | and > out of Slack's syntax.
        XCTAssertTrue(all.contains("<https://www.centre-inffo.fr/hostile?a=1%7Cb%3E2|"), all)
        XCTAssertEqual(requests.first?.header("Content-Type"), "application/json")
        XCTAssertEqual(try json(requests[0].body)["unfurl_links"] as? Bool, false)
    }

    func testALongDigestIsSplitIntoSeveralSlackMessagesRatherThanRefused() throws {
        for index in 0..<60 {
            try fixture.store(
                DigestCandidate(
                    id: 0, shortID: "bulk\(index)",
                    title: "Qualiopi : précision \(index) du guide de lecture des indicateurs",
                    link: "https://www.centre-inffo.fr/bulk/\(index)", source: "Centre Inffo", published: F.paris(5, 9),
                    firstSeen: F.paris(5, 9),
                    summary: String(repeating: "Le référentiel national qualité précise les attendus. ", count: 6),
                    topics: [TopicScore(.qualiopi, 2)]))
        }
        server.route("/hook") { _ in .init(text: "ok") }
        try addTargets(
            "[[deliver]]\nname = \"slack\"\ntype = \"slack\"\nurl = \"\(server.url(for: "/hook").absoluteString)\"\n")
        let run = try deliver()
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let requests = server.requests(path: "/hook")
        XCTAssertGreaterThan(requests.count, 1)
        for request in requests {
            XCTAssertLessThanOrEqual(try XCTUnwrap(json(request.body)["text"] as? String).count, 3_500)
        }
    }

    func testTeamsGetsAnAdaptiveCardWhoseFeedTextIsNeverMarkdown() throws {
        server.route("/workflows/run") { _ in .init(status: 202, text: "") }
        try addTargets(
            "[[deliver]]\nname = \"teams\"\ntype = \"teams\"\nurl = \"\(server.url(for: "/workflows/run").absoluteString)\"\n"
        )
        let run = try deliver()
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let request = try XCTUnwrap(server.requests(path: "/workflows/run").first)
        XCTAssertLessThan(request.body.count, 28_000)
        let message = try json(request.body)
        XCTAssertEqual(message["type"] as? String, "message")
        let attachment = try XCTUnwrap((message["attachments"] as? [[String: Any]])?.first)
        XCTAssertEqual(attachment["contentType"] as? String, "application/vnd.microsoft.card.adaptive")
        let card = try XCTUnwrap(attachment["content"] as? [String: Any])
        XCTAssertEqual(card["type"] as? String, "AdaptiveCard")
        XCTAssertEqual(card["version"] as? String, "1.4")
        let body = try XCTUnwrap(card["body"] as? [[String: Any]])
        // Only RichTextBlocks of TextRuns: Teams reads no Markdown in them.
        XCTAssertEqual(Set(body.compactMap { $0["type"] as? String }), ["RichTextBlock"])
        let runs = body.flatMap { ($0["inlines"] as? [[String: Any]]) ?? [] }
        XCTAssertTrue(runs.allSatisfy { $0["type"] as? String == "TextRun" })
        let hostile = try XCTUnwrap(runs.first { ($0["text"] as? String) == Self.hostileTitle })
        let action = try XCTUnwrap(hostile["selectAction"] as? [String: Any])
        XCTAssertEqual(action["type"] as? String, "Action.OpenUrl")
        XCTAssertEqual(action["url"] as? String, "https://www.centre-inffo.fr/hostile?a=1|b>2")
        // Only http(s) links become actions.
        let urls = runs.compactMap { ($0["selectAction"] as? [String: Any])?["url"] as? String }
        XCTAssertFalse(urls.isEmpty)
        XCTAssertTrue(urls.allSatisfy { $0.hasPrefix("https://") || $0.hasPrefix("http://") }, "\(urls)")
    }

    func testAWebhookGetsTheDigestJSONSignedWithHMACSHA256() throws {
        server.route("/n8n/regwatch") { _ in .init(text: "ok") }
        try addTargets(
            """
            [[deliver]]
            name = "intranet"
            type = "webhook"
            url = "\(server.url(for: "/n8n/regwatch").absoluteString)"
            secret_env = "REGWATCH_TEST_HOOK_SECRET"
            """)
        let secret = "s3cr3t-partagé"
        let run = try deliver(environment: ["REGWATCH_TEST_HOOK_SECRET": secret])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let request = try XCTUnwrap(server.requests(path: "/n8n/regwatch").first)
        let document = try json(request.body)
        XCTAssertEqual(document["week"] as? String, "2025-W49")
        XCTAssertNotNil(document["items"] as? [Any])
        // The signature, checked by Python's hmac over the bytes received.
        let bodyFile = fixture.folder.url.appendingPathComponent("body.json")
        try request.body.write(to: bodyFile)
        let python = try DigestTool.run(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import hmac,hashlib,sys; print(hmac.new(sys.argv[1].encode(), open(sys.argv[2],'rb').read(), hashlib.sha256).hexdigest())",
                secret, bodyFile.path,
            ],
            stdin: Data())
        XCTAssertEqual(
            request.header("X-Regwatch-Signature"),
            "sha256=" + python.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(request.header("X-Regwatch-Week"), "2025-W49")
    }

    func testNotionGetsAPageOfBlocksUnderTheDatabasesTitleProperty() throws {
        server.route("/v1/databases/db-veille") { request in
            XCTAssertEqual(request.header("Notion-Version"), "2022-06-28")
            return .init(
                text:
                    #"{"object":"database","properties":{"Semaine":{"type":"rich_text"},"Nom":{"type":"title","title":{}}}}"#
            )
        }
        server.route("/v1/pages") { _ in .init(text: #"{"object":"page","id":"page-49"}"#) }
        server.route("/v1/blocks/page-49/children") { _ in .init(text: #"{"object":"list"}"#) }
        try addTargets(
            """
            [[deliver]]
            name = "notion"
            type = "notion"
            database = "db-veille"
            token_env = "REGWATCH_TEST_NOTION_TOKEN"
            api = "\(server.url(for: "/").absoluteString)"
            """)
        let run = try deliver(["--json"], environment: ["REGWATCH_TEST_NOTION_TOKEN": "secret_abc"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let page = try XCTUnwrap(server.requests(path: "/v1/pages").first)
        XCTAssertEqual(page.header("Authorization"), "Bearer secret_abc")
        let body = try json(page.body)
        XCTAssertEqual((body["parent"] as? [String: Any])?["database_id"] as? String, "db-veille")
        let title = try XCTUnwrap(
            ((body["properties"] as? [String: Any])?["Nom"] as? [String: Any])?["title"] as? [[String: Any]])
        XCTAssertEqual(
            (title.first?["text"] as? [String: Any])?["content"] as? String, "Veille réglementaire — Semaine 2025-W49")
        let children = try XCTUnwrap(body["children"] as? [[String: Any]])
        XCTAssertLessThanOrEqual(children.count, 100)
        XCTAssertTrue(children.contains { $0["type"] as? String == "heading_2" })
        let bullets = children.filter { $0["type"] as? String == "bulleted_list_item" }
        let texts = bullets.flatMap {
            (($0["bulleted_list_item"] as? [String: Any])?["rich_text"] as? [[String: Any]]) ?? []
        }
        let hostile = try XCTUnwrap(
            texts.first { (($0["text"] as? [String: Any])?["content"] as? String) == Self.hostileTitle })
        XCTAssertEqual(
            ((hostile["text"] as? [String: Any])?["link"] as? [String: Any])?["url"] as? String,
            "https://www.centre-inffo.fr/hostile?a=1|b>2")
        for text in texts {
            XCTAssertLessThanOrEqual(((text["text"] as? [String: Any])?["content"] as? String)?.count ?? 0, 2_000)
        }
        XCTAssertTrue(run.stdout.contains("\"status\" : \"delivered\""), run.stdout)
    }

    func testEachDeliveryHappensOncePerWeekAndTargetUnlessForced() throws {
        server.route("/hook") { _ in .init(text: "ok") }
        try addTargets(
            "[[deliver]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"\(server.url(for: "/hook").absoluteString)\"\n")
        XCTAssertEqual(try deliver().status, 0)
        let again = try deliver()
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("hook: already delivered"), again.stdout)
        XCTAssertEqual(server.requests(path: "/hook").count, 1)
        XCTAssertEqual(try deliver(["--force"]).status, 0)
        XCTAssertEqual(server.requests(path: "/hook").count, 2)
        // Delivered anywhere, the week is kept as delivered.
        XCTAssertNotNil(try fixture.database.storedDigest(week: F.week)?.frozenAt)
        // The audit record says when the watch reached whom.
        let audit = try Watchctl.run(
            [
                "--config", fixture.configFile.path, "audit", "--from", "2020-01-01", "--format", "markdown",
                "--output", "-",
            ])
        XCTAssertEqual(audit.status, 0, audit.stderr)
        XCTAssertTrue(audit.stdout.contains("Diffusion à l’équipe :"), audit.stdout)
        XCTAssertEqual(
            audit.stdout.split(separator: "\n").filter { $0.hasPrefix("| 2025-W49 | hook | webhook |") }.count, 2,
            audit.stdout)
        let json = try Watchctl.run([
            "--config", fixture.configFile.path, "audit", "--from", "2020-01-01", "--format", "json", "--output", "-",
        ])
        let deliveries = try XCTUnwrap(try self.json(Data(json.stdout.utf8))["deliveries"] as? [[String: Any]])
        XCTAssertEqual(deliveries.map { $0["status"] as? String }, ["delivered", "delivered"])
    }

    func testA429IsRetriedAfterRetryAfterThenDelivered() throws {
        let calls = Counter()
        server.route("/hook") { _ in
            calls.increment() == 1
                ? .init(status: 429, headers: ["Retry-After": "1"], text: "slow down") : .init(text: "ok")
        }
        try addTargets(
            "[[deliver]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"\(server.url(for: "/hook").absoluteString)\"\n")
        let run = try deliver()
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertEqual(server.requests(path: "/hook").count, 2)
    }

    func testFailuresNameTheTargetWhatToDoAndNeverTheSecretAndOneFailureStopsNoOther() throws {
        server.route("/unauthorized") { _ in .init(status: 401, text: "invalid_token") }
        server.route("/missing") { _ in .init(status: 404, text: "no_service") }
        server.route("/broken") { _ in .init(status: 500, text: "oops") }
        server.route("/limited") { _ in .init(status: 429, headers: ["Retry-After": "3600"], text: "later") }
        server.route("/hanging") { _ in .init(body: Data("late".utf8), delay: .seconds(5)) }
        server.route("/ok") { _ in .init(text: "ok") }
        var toml = ""
        for name in ["unauthorized", "missing", "broken", "limited", "hanging", "ok"] {
            toml +=
                "[[deliver]]\nname = \"\(name)\"\ntype = \"slack\"\nurl_env = \"REGWATCH_TEST_\(name.uppercased())\"\ntimeout = \"1s\"\n\n"
        }
        try addTargets(toml)
        var environment: [String: String] = [:]
        for name in ["unauthorized", "missing", "broken", "limited", "hanging", "ok"] {
            environment["REGWATCH_TEST_\(name.uppercased())"] =
                server.url(for: "/\(name)").absoluteString + "?token=SECRET-\(name)"
        }
        let run = try deliver(["--json"], environment: environment)
        XCTAssertEqual(run.status, 1, run.stderr)
        let results = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0["name"] as! String, $0) })
        XCTAssertEqual(byName["ok"]?["status"] as? String, "delivered")
        func error(_ name: String) -> String { byName[name]?["error"] as? String ?? "" }
        XCTAssertEqual(byName["unauthorized"]?["status"] as? String, "failed")
        XCTAssertTrue(
            error("unauthorized").contains("(401)") && error("unauthorized").contains("$REGWATCH_TEST_UNAUTHORIZED"),
            error("unauthorized"))
        XCTAssertTrue(error("missing").contains("404") && error("missing").contains("url"), error("missing"))
        XCTAssertTrue(error("broken").contains("(500)") && error("broken").contains("next run"), error("broken"))
        XCTAssertTrue(error("limited").contains("429"), error("limited"))
        XCTAssertTrue(error("hanging").contains("timed out"), error("hanging"))
        for result in results {
            let text = result["error"] as? String ?? ""
            XCTAssertFalse(text.contains("SECRET-"), text)
            XCTAssertFalse(text.contains("\n"), text)
        }
        XCTAssertFalse(run.stderr.contains("SECRET-"), run.stderr)
        // The failed ones are tried again on the next run; the delivered one is not.
        server.resetCounters()
        _ = try deliver(environment: environment)
        XCTAssertEqual(server.requests(path: "/ok").count, 0)
        XCTAssertEqual(server.requests(path: "/broken").count, 1)
        // status shows the last attempt per target.
        let status = try Watchctl.run(["--config", fixture.configFile.path, "status", "--json"])
        let deliveries = try XCTUnwrap(try json(Data(status.stdout.utf8))["deliveries"] as? [[String: Any]])
        XCTAssertEqual(deliveries.count, 6)
    }

    func testCheckConfigNamesEveryBadTargetWithItsLine() throws {
        try addTargets(
            """
            [[deliver]]
            name = "chat"
            type = "slak"

            [[deliver]]
            name = "chat"
            type = "matrix"
            homeserver = "https://matrix.example.org"
            room = "general"
            token = "syt_secret_in_the_file"

            [[deliver]]
            name = "notes"
            type = "webdav"
            """)
        let run = try Watchctl.run(["--config", fixture.configFile.path, "check-config"])
        XCTAssertEqual(run.status, 2)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        let path = fixture.configFile.path
        XCTAssertTrue(lines.contains { $0.contains("\(path):") && $0.contains("unknown type \"slak\"") }, run.stderr)
        XCTAssertTrue(lines.contains { $0.contains("name: \"chat\" is already used at line") }, run.stderr)
        XCTAssertTrue(lines.contains { $0.contains("room: \"general\" is not a room id") }, run.stderr)
        XCTAssertTrue(lines.contains { $0.contains("token: a secret never goes in feeds.toml") }, run.stderr)
        XCTAssertTrue(lines.contains { $0.contains("[[deliver]] notes url: missing") }, run.stderr)
        XCTAssertTrue(lines.allSatisfy { $0.range(of: #":\d+: "#, options: .regularExpression) != nil }, run.stderr)
    }

    func testCheckConfigSaysWhichSecretVariableIsNotSetAndReadsSystemdCredentials() throws {
        try addTargets("[[deliver]]\nname = \"slack\"\ntype = \"slack\"\nurl_env = \"REGWATCH_TEST_UNSET_URL\"\n")
        let unset = try Watchctl.run(["--config", fixture.configFile.path, "check-config"])
        XCTAssertEqual(unset.status, 2)
        XCTAssertTrue(
            unset.stderr.contains("[[deliver]] slack: url: $REGWATCH_TEST_UNSET_URL is not set"), unset.stderr)
        XCTAssertNotNil(unset.stderr.range(of: #"feeds\.toml:\d+: "#, options: .regularExpression), unset.stderr)

        let credentials = fixture.folder.url.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        try Data("https://hooks.slack.com/services/T/B/x\n".utf8).write(
            to: credentials.appendingPathComponent("REGWATCH_TEST_UNSET_URL"))
        let set = try Watchctl.run(
            ["--config", fixture.configFile.path, "check-config"],
            environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        XCTAssertEqual(set.status, 0, set.stderr)
        XCTAssertTrue(set.stdout.contains("delivery to slack (slack)"), set.stdout)
    }
}

/// A thread-safe call counter for route handlers.
final class Counter: Sendable {
    private let value = Mutex(0)
    /// Adds one and returns the new count.
    func increment() -> Int {
        value.withLock {
            $0 += 1; return $0
        }
    }
}
