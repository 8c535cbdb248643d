import Foundation
import RegWatch
import TestSupport
import XCTest

/// feeds.toml → Configuration: defaults, resolution of paths and topics, and errors that name
/// the file, the line and the key.
final class ConfigurationTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-config")
    }

    override func tearDown() {
        dir.remove()
    }

    private func load(_ text: String) throws -> Configuration {
        try Configuration.load(from: dir.write(text, to: "feeds.toml"))
    }

    /// The problems of a file that must not load, one line each.
    private func problems(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        dir.configurationProblems(text, file: file, line: line)
    }

    func testAnEmptyFileGivesTheDefaultsOfTheDesign() throws {
        let config = try load("")
        XCTAssertEqual(config.fetch.concurrency, 16)
        XCTAssertEqual(config.fetch.perHost, 2)
        XCTAssertEqual(config.fetch.timeout, .seconds(30))
        XCTAssertEqual(config.fetch.maxBytes.bytes, 10 * 1024 * 1024)
        XCTAssertEqual(config.fetch.defaultInterval, .seconds(3600))
        XCTAssertFalse(config.fetch.allowPrivateNetworks)
        XCTAssertEqual(config.digest.timeZone.identifier, "Europe/Paris")
        XCTAssertEqual(config.digest.readingMinutes, 15)
        XCTAssertEqual(config.digest.wordsPerMinute, 230)
        XCTAssertEqual(config.digest.language, .fr)
        XCTAssertNil(config.email)
        XCTAssertEqual(config.topics.map(\.id), [.cpf, .qualiopi, .ia, .neurodiversite])
        XCTAssertEqual(config.feeds, [])
        XCTAssertEqual(config.storage.database.path, dir.file("state/regwatch.sqlite").standardizedFileURL.path)
        XCTAssertEqual(config.digest.outputDirectory.path, dir.file("digests").standardizedFileURL.path)
    }

    func testRelativePathsResolveAgainstTheConfigFolderNotTheWorkingDirectory() throws {
        let config = try Configuration.load(
            from: dir.write(
                """
                [storage]
                database = "../data/watch.sqlite"
                [digest]
                output_dir = "out/digests"
                """, to: "etc/feeds.toml"))
        XCTAssertEqual(config.storage.database.path, dir.file("data/watch.sqlite").standardizedFileURL.path)
        XCTAssertEqual(config.digest.outputDirectory.path, dir.file("etc/out/digests").standardizedFileURL.path)
    }

    func testAbsolutePathsAreKept() throws {
        let config = try load("[storage]\ndatabase = \"/var/lib/regwatch/db.sqlite\"\n")
        XCTAssertEqual(config.storage.database.path, "/var/lib/regwatch/db.sqlite")
    }

    func testEverySectionIsRead() throws {
        let config = try load(
            """
            [fetch]
            concurrency = 8
            per_host = 1
            timeout = "90s"
            max_bytes = "512KiB"
            default_interval = "2h"
            allow_private_networks = true

            [digest]
            time_zone = "America/Martinique"
            reading_minutes = 10
            words_per_minute = 200
            language = "en"

            [email]
            from = "veille@cfa-exemple.fr"
            to = ["equipe@cfa-exemple.fr", "direction@cfa-exemple.fr"]
            smtp_url = "smtps://smtp.cfa-exemple.fr:465"

            [[feeds]]
            url = "https://www.centre-inffo.fr/feed"
            title = "Centre Inffo"
            topics = ["cpf", "qualiopi"]
            interval = "30m"
            weight = 1.5

            [[feeds]]
            url = "https://www.vie-publique.fr/rss.xml"
            enabled = false
            weight = 2
            """)
        XCTAssertEqual(config.fetch.concurrency, 8)
        XCTAssertEqual(config.fetch.perHost, 1)
        XCTAssertEqual(config.fetch.timeout, .seconds(90))
        XCTAssertEqual(config.fetch.maxBytes, .kibibytes(512))
        XCTAssertEqual(config.fetch.defaultInterval, .seconds(7200))
        XCTAssertTrue(config.fetch.allowPrivateNetworks)
        XCTAssertEqual(config.digest.timeZone.identifier, "America/Martinique")
        XCTAssertEqual(config.digest.readingMinutes, 10)
        XCTAssertEqual(config.digest.wordsPerMinute, 200)
        XCTAssertEqual(config.digest.language, .en)
        XCTAssertEqual(
            config.email,
            Configuration.Email(
                from: "veille@cfa-exemple.fr", to: ["equipe@cfa-exemple.fr", "direction@cfa-exemple.fr"],
                smtpURL: URL(string: "smtps://smtp.cfa-exemple.fr:465")!))
        XCTAssertEqual(
            config.feeds,
            [
                FeedEntry(
                    url: FeedURL("https://www.centre-inffo.fr/feed")!, title: "Centre Inffo",
                    topics: [.cpf, .qualiopi], interval: .seconds(1800), weight: 1.5),
                FeedEntry(url: FeedURL("https://www.vie-publique.fr/rss.xml")!, weight: 2, enabled: false),
            ])
        XCTAssertEqual(config.enabledFeeds.map(\.url.rawValue), ["https://www.centre-inffo.fr/feed"])
    }

    func testATopicTableOverridesOnlyTheKeysItSetsAndNewTopicsComeAfterTheBuiltIns() throws {
        let config = try load(
            """
            [[topics]]
            id = "apprentissage"
            label = "Apprentissage"
            terms = ["apprentissage", "contrat d'apprentissage"]
            acronyms = ["CFA"]

            [[topics]]
            id = "cpf"
            exclude = ["CPF de transition"]
            threshold = 2.0

            [[feeds]]
            url = "https://www.centre-inffo.fr/feed"
            topics = ["apprentissage"]
            """)
        XCTAssertEqual(config.topics.map(\.id.rawValue), ["cpf", "qualiopi", "ia", "neurodiversite", "apprentissage"])
        let builtInCPF = Topic.builtIn[0]
        let cpf = try XCTUnwrap(config.topic(.cpf))
        XCTAssertEqual(cpf.label, builtInCPF.label)
        XCTAssertEqual(cpf.terms, builtInCPF.terms)
        XCTAssertEqual(cpf.acronyms, builtInCPF.acronyms)
        XCTAssertEqual(cpf.exclude, ["CPF de transition"])
        XCTAssertEqual(cpf.threshold, 2.0)
        let apprentissage = try XCTUnwrap(config.topic(TopicID("apprentissage")))
        XCTAssertEqual(apprentissage.label, "Apprentissage")
        XCTAssertEqual(apprentissage.acronyms, ["CFA"])
        XCTAssertEqual(config.feeds.first?.topics, [TopicID("apprentissage")])
    }

    func testATopicTableSetsItsMachinerySettingAndElsewhere() throws {
        let config = try load(
            """
            [[topics]]
            id = "apprentissage"
            terms = ["contrat d'apprentissage"]
            machinery = ["aide à l'embauche", "maître d'apprentissage"]
            setting = ["CFA"]
            elsewhere = ["Suisse"]
            """)
        let apprentissage = try XCTUnwrap(config.topic(TopicID("apprentissage")))
        XCTAssertEqual(apprentissage.machinery, ["aide à l'embauche", "maître d'apprentissage"])
        XCTAssertEqual(apprentissage.setting, ["CFA"])
        XCTAssertEqual(apprentissage.elsewhere, ["Suisse"])
        let tagger = Tagger(topics: config.topics)
        func ids(_ title: String) -> [TopicID] { tagger.tag(title: title, summary: nil, content: nil).map(\.id) }
        XCTAssertEqual(ids("CFA : l'aide à l'embauche et le maître d'apprentissage"), ["apprentissage"])
        XCTAssertEqual(ids("L'aide à l'embauche et le maître d'apprentissage"), [], "two pieces need the setting")
        XCTAssertEqual(ids("Suisse : au CFA, l'aide à l'embauche et le maître d'apprentissage"), [])
        XCTAssertEqual(try XCTUnwrap(config.topic(.cpf)).machinery, Topic.builtIn[0].machinery, "built-in kept")
    }

    func testAnInvalidURLIsReportedWithFileLineAndKey() {
        XCTAssertEqual(
            problems(
                """
                # my sources

                [[feeds]]
                url = "https://www.centre-inffo.fr/feed"

                [[feeds]]
                title = "typo"
                url = "htp://x"
                """),
            [#"feeds.toml:8: [[feeds]] url: "htp://x" is not an http(s) URL"#])
    }

    func testAnUnknownKeySuggestsTheKeyItProbablyMeant() {
        XCTAssertEqual(
            problems(
                """
                [storage]
                database = "state/regwatch.sqlite"

                [fetch]
                timeout = "30s"
                # more transfers
                concurency = 32
                """),
            ["feeds.toml:7: [fetch] concurency: unknown key (did you mean concurrency?)"])
    }

    func testAnUnknownSectionIsAnError() {
        XCTAssertEqual(
            problems("[fetch]\nconcurrency = 4\n\n[digests]\nlanguage = \"fr\"\n"),
            ["feeds.toml:4: [digests]: unknown section (did you mean digest?)"])
    }

    func testAllProblemsAreReportedAtOnceInLineOrder() {
        let found = problems(
            """
            [fetch]
            concurrency = "16"
            timeout = "30 secondes"
            max_bytes = "10 megas"

            [digest]
            language = "de"
            time_zone = "Paris"

            [[feeds]]
            url = "https://sydologie.com/feed"
            topics = ["ia", "pedagogie"]
            weight = -1

            [[feeds]]
            url = "https://SYDOLOGIE.com/feed/"

            [[feeds]]
            titre = "Sans URL"
            """)
        XCTAssertEqual(
            found,
            [
                #"feeds.toml:2: [fetch] concurrency: expected a whole number, found the string "16""#,
                #"feeds.toml:3: [fetch] timeout: "30 secondes" is not a duration (write "90s", "30m", "2h" or "1d")"#,
                #"feeds.toml:4: [fetch] max_bytes: "10 megas" is not a size (write "10MiB", "512KiB" or bytes)"#,
                #"feeds.toml:7: [digest] language: "de" is not supported (fr or en)"#,
                #"feeds.toml:8: [digest] time_zone: "Paris" is not a time zone (e.g. "Europe/Paris")"#,
                #"feeds.toml:12: [[feeds]] topics: unknown topic "pedagogie" (known: cpf, ia, neurodiversite, qualiopi)"#,
                #"feeds.toml:13: [[feeds]] weight: -1.0 is out of range (greater than 0, at most 100)"#,
                #"feeds.toml:16: [[feeds]] url: "https://SYDOLOGIE.com/feed/" is already listed at line 11"#,
                #"feeds.toml:18: [[feeds]] url: missing (every feed needs url = "https://…")"#,
                #"feeds.toml:19: [[feeds]] titre: unknown key (did you mean title?)"#,
            ])
    }

    func testATOMLSyntaxErrorNamesItsLine() {
        let found = problems("[fetch]\nconcurrency = 4\ntimeout = \"30s\n")
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found[0].hasPrefix("feeds.toml:3: TOML syntax error"), found[0])
    }

    func testATableHeaderStartingWithNoKeyCharacterIsAnErrorNotACrash() {
        // toml++ (inside TOMLKit) aborts the process on these instead of reporting them:
        // `watchctl` and the daemon's reload must see a line-numbered error.
        for header in ["[é]", "[ é]", "[[é]]", "[?]", "[.fetch]", "[#]", "[=]", "[[\u{FFFD}]]", "  [\t!x]", "[[", "[ "]
        {
            let found = problems("[fetch]\nconcurrency = 4\n\(header)\nx = 1\n")
            XCTAssertEqual(found.count, 1, header)
            XCTAssertTrue(found.first?.hasPrefix("feeds.toml:3: TOML syntax error: table header") == true, "\(found)")
        }
        // After a byte order mark too (TOML skips it).
        XCTAssertEqual(
            problems("\u{FEFF}[\u{FFFD}storage]\n").first?.hasPrefix("feeds.toml:1: TOML syntax error: table header"),
            true)
        XCTAssertNoThrow(try load("\u{FEFF}[fetch]\nconcurrency = 4\n"))
        // Brackets inside values and multi-line strings are not headers.
        XCTAssertNoThrow(
            try load(
                """
                [[feeds]]
                url = "https://www.centre-inffo.fr/feed"
                topics = [
                "cpf",
                ]
                title = \"\"\"
                [?] not a header
                \"\"\"
                """))
    }

    func testEveryFuzzerFoundConfigurationIsRejectedWithoutCrashing() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/regressions/FuzzConfiguration").standardized
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        XCTAssertFalse(files.isEmpty, folder.path)
        for file in files {
            // As the fuzz target reads it: bytes decoded as UTF-8, invalid sequences replaced.
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            XCTAssertThrowsError(try Configuration.parse(text), file.lastPathComponent)
        }
    }

    func testEmailNeedsItsThreeKeysAndRealAddresses() {
        XCTAssertEqual(
            problems(
                """
                [email]
                from = "veille"
                to = []
                smtp_url = "http://smtp.example.org"
                """),
            [
                #"feeds.toml:2: [email] from: "veille" is not an email address"#,
                "feeds.toml:3: [email] to: needs at least one address",
                #"feeds.toml:4: [email] smtp_url: "http://smtp.example.org" is not an smtp:// or smtps:// URL"#,
            ])
    }

    func testAMissingFileIsOneClearProblem() {
        XCTAssertThrowsError(try Configuration.load(from: dir.file("nope.toml"))) { error in
            let problems = (error as? ConfigurationError)?.problems ?? []
            XCTAssertEqual(problems.count, 1)
            XCTAssertEqual(problems.first?.line, nil)
            XCTAssertTrue(problems.first?.description.contains("nope.toml: no such config file") == true)
            XCTAssertEqual((error as? ConfigurationError)?.kind, .badInput)
        }
    }

    func testLookupPrefersTheOptionThenTheEnvironmentThenTheWorkingDirectory() throws {
        let local = try dir.write("", to: "feeds.toml")
        let system = dir.file("etc/feeds.toml")
        XCTAssertEqual(
            try Configuration.locate(
                explicit: "other.toml", environment: ["REGWATCH_CONFIG": "/srv/env.toml"],
                currentDirectory: dir.url, systemFile: system
            ).path,
            dir.file("other.toml").path)
        XCTAssertEqual(
            try Configuration.locate(
                explicit: nil, environment: ["REGWATCH_CONFIG": "/srv/env.toml"], currentDirectory: dir.url,
                systemFile: system
            ).path, "/srv/env.toml")
        XCTAssertEqual(
            try Configuration.locate(explicit: nil, environment: [:], currentDirectory: dir.url, systemFile: system)
                .path, local.path)
        try FileManager.default.removeItem(at: local)
        XCTAssertThrowsError(
            try Configuration.locate(explicit: nil, environment: [:], currentDirectory: dir.url, systemFile: system))
        try dir.write("", to: "etc/feeds.toml")
        XCTAssertEqual(
            try Configuration.locate(explicit: nil, environment: [:], currentDirectory: dir.url, systemFile: system),
            system)
    }

    func testTheShippedFeedsFileIsValidAndListsOfficialSourcesWithHigherWeight() throws {
        let shipped = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("feeds.toml")
        let config = try Configuration.load(from: shipped)
        XCTAssertGreaterThanOrEqual(config.enabledFeeds.count, 12)
        XCTAssertTrue(config.feeds.contains { !$0.enabled }, "the to-verify sources are listed, disabled")
        let ministry = try XCTUnwrap(config.feeds.first { $0.url.host == "travail-emploi.gouv.fr" })
        XCTAssertGreaterThan(ministry.weight, 1)
        XCTAssertEqual(Set(config.feeds.flatMap(\.topics)), [.cpf, .qualiopi, .ia, .neurodiversite])
    }
}

/// The small value types feeds.toml is written in.
final class ConfigurationValueTests: XCTestCase {
    func testDurationsAcceptSecondsMinutesHoursAndDays() {
        XCTAssertEqual(Interval(parsing: "90s")?.duration, .seconds(90))
        XCTAssertEqual(Interval(parsing: "30m")?.duration, .seconds(1800))
        XCTAssertEqual(Interval(parsing: "2h")?.duration, .seconds(7200))
        XCTAssertEqual(Interval(parsing: "1d")?.duration, .seconds(86_400))
        XCTAssertEqual(Interval(parsing: "500ms")?.duration, .milliseconds(500))
        for bad in ["", "2", "h", "0s", "-1h", "1.5h", "2 heures", "1w", "99999999999h"] {
            XCTAssertNil(Interval(parsing: bad), bad)
        }
        XCTAssertEqual(Interval(.seconds(7200)).description, "2h")
        XCTAssertEqual(Interval(.seconds(90)).description, "90s")
        XCTAssertEqual(Interval(.seconds(86_400 * 2)).description, "2d")
    }

    func testSizesAcceptBinaryAndDecimalUnitsAndPlainBytes() {
        XCTAssertEqual(ByteSize(parsing: "10MiB")?.bytes, 10_485_760)
        XCTAssertEqual(ByteSize(parsing: "512KiB")?.bytes, 524_288)
        XCTAssertEqual(ByteSize(parsing: "1MB")?.bytes, 1_000_000)
        XCTAssertEqual(ByteSize(parsing: "2 GiB")?.bytes, 2 << 30)
        XCTAssertEqual(ByteSize(parsing: "4096")?.bytes, 4096)
        for bad in ["", "MiB", "-1MiB", "10 Mo", "1.5MiB", "99999999999999999999"] {
            XCTAssertNil(ByteSize(parsing: bad), bad)
        }
        XCTAssertEqual(ByteSize.mebibytes(10).description, "10MiB")
    }

    func testFeedURLsAreHTTPOnlyAndCompareWithoutCaseOfHostOrTrailingSlash() throws {
        for bad in ["htp://x", "ftp://example.org/feed", "file:///etc/passwd", "feed.xml", "https://", "http://a b/"] {
            XCTAssertNil(FeedURL(bad), bad)
        }
        let url = try XCTUnwrap(FeedURL("  https://www.centre-inffo.fr/feed \n"))
        XCTAssertEqual(url.rawValue, "https://www.centre-inffo.fr/feed")
        let variants = [
            "HTTPS://WWW.Centre-Inffo.FR/feed/", "https://www.centre-inffo.fr:443/feed",
            "https://www.centre-inffo.fr/feed#top",
        ]
        for variant in variants {
            XCTAssertTrue(try XCTUnwrap(FeedURL(variant)).isSameFeed(as: url), variant)
        }
        XCTAssertFalse(try XCTUnwrap(FeedURL("http://www.centre-inffo.fr/feed")).isSameFeed(as: url))
        XCTAssertFalse(try XCTUnwrap(FeedURL("https://www.centre-inffo.fr/FEED")).isSameFeed(as: url))
    }
}
