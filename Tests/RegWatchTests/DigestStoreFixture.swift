import FeedParser
import Foundation
import RegWatch
import TestSupport
import XCTest

/// A real feeds.toml and SQLite database in a temporary folder, filled with the week of
/// `DigestFixtures` the way polls would have stored it: one fetch per item at its first-seen
/// time, tags as the tagger would set them, two failing feeds.
struct DigestStoreFixture {
    typealias F = DigestFixtures

    let folder: TemporaryDirectory
    let configFile: URL
    let configuration: Configuration
    let database: AppDatabase

    /// The feed URL each fixture source is polled at.
    static let feedURLs: [String: String] = [
        "Légifrance": "https://www.legifrance.gouv.fr/rss/jorf.xml",
        "Ministère du Travail": "https://travail-emploi.gouv.fr/actualites.rss",
        "Centre Inffo": "https://www.centre-inffo.fr/feed",
        "France compétences": "https://www.francecompetences.fr/feed/",
        "Le Quotidien de la formation": "https://www.lequotidiendelaformation.fr/rss",
        "Agefiph": "https://www.agefiph.fr/rss.xml",
        "Digiformag": "https://www.digiformag.com/feed/",
        "Service-Public.fr": "https://www.service-public.fr/abonnements/rss/actu-actu-professionnels.rss",
        "Dares": "https://dares.travail-emploi.gouv.fr/rss.xml",
        "Humanissue": "https://www.humanissue.fr/blog-feed.xml",
    ]
    static let weights: [String: Double] = [
        "Légifrance": 2.0, "Ministère du Travail": 1.5, "France compétences": 1.5, "Centre Inffo": 1.2,
        "Service-Public.fr": 1.2, "Humanissue": 0.8,
    ]

    /// Creates the folder, feeds.toml (`[email]` pointing at `smtpURL`) and the database.
    init(readingMinutes: Int = 2, smtpURL: String? = "smtp://127.0.0.1:25", seed: Bool = true) throws {
        folder = try TemporaryDirectory(prefix: "regwatch-digest")
        var toml = """
            # A team's feeds.toml, as check-config accepts it.
            [storage]
            database = "state/regwatch.sqlite"

            [digest]
            time_zone = "Europe/Paris"
            reading_minutes = \(readingMinutes)
            words_per_minute = 230
            language = "fr"
            output_dir = "digests"

            """
        if let smtpURL {
            toml += """

                [email]
                from = "veille@example.org"
                to = ["equipe@example.org", "direction@example.org"]
                smtp_url = "\(smtpURL)"

                """
        }
        for (name, url) in Self.feedURLs.sorted(by: { $0.key < $1.key }) {
            toml += "\n[[feeds]]\nurl = \"\(url)\"\ntitle = \"\(name)\"\n"
            if let weight = Self.weights[name] { toml += "weight = \(weight)\n" }
        }
        for failing in F.failingSources { toml += "\n[[feeds]]\nurl = \"\(failing.url)\"\n" }
        configFile = try folder.write(toml, to: "feeds.toml")
        configuration = try Configuration.load(from: configFile)
        database = try AppDatabase.open(at: configuration.storage.database)
        if seed { try self.seed() }
    }

    /// Stores the fixture week: each candidate fetched at its first-seen time, the decree also
    /// carried (same link) by Centre Inffo and Le Quotidien de la formation, two failing feeds.
    func seed() throws {
        for candidate in F.candidates {
            try store(candidate)
            // The decree, relayed by two other feeds later the same day: one story.
            if candidate.shortID == "a1f3c9" {
                for (index, relay) in ["Centre Inffo", "Le Quotidien de la formation"].enumerated() {
                    var echo = candidate
                    echo.title =
                        index == 0
                        ? "CPF : le décret sur l’ordre de mobilisation des droits est paru"
                        : "Décret CPF : ce qui change au 1er janvier"
                    echo.source = relay
                    echo.summary = "Le décret du 2 décembre réorganise la mobilisation du CPF."
                    echo.firstSeen = candidate.firstSeen.addingTimeInterval(Double(index + 1) * 3600)
                    try store(echo)
                }
            }
        }
        for (index, failing) in F.failingSources.enumerated() {
            try database.recordFetchFailure(
                FeedURL(failing.url)!, report: FetchReport(time: F.paris(7, 8 + index), status: index == 0 ? 503 : nil),
                error: failing.error)
        }
    }

    /// Stores one candidate as a poll of its feed at its first-seen time would, with its tags.
    @discardableResult
    func store(_ candidate: DigestCandidate) throws -> Int64 {
        let url = FeedURL(Self.feedURLs[candidate.source]!)!
        let item = Item(
            id: "urn:regwatch-test:\(candidate.shortID):\(candidate.source)", title: candidate.title,
            link: candidate.link, published: candidate.published, summary: candidate.summary,
            content: candidate.content)
        let result = try database.recordFetchSuccess(
            url, feed: PreparedFeed(Feed(format: .rss20, title: candidate.source, items: [item])),
            report: FetchReport(time: candidate.firstSeen, status: 200, bytes: 2048))
        let id = result.insertedIDs.first!
        let tags = candidate.topics.map { TopicMatch(id: $0.topic, score: $0.score, matches: [$0.topic.rawValue]) }
        if !tags.isEmpty { try database.setTags(itemID: id, tags: tags, at: candidate.firstSeen) }
        return id
    }

    /// Records a successful empty fetch of `source` at `time`: the feed is watched from then on.
    func watch(_ source: String, since time: Date) throws {
        try database.recordFetchSuccess(
            FeedURL(Self.feedURLs[source]!)!, feed: PreparedFeed(Feed(format: .rss20, title: source, items: [])),
            report: FetchReport(time: time, status: 200, bytes: 512))
    }

    /// The digest of `week` built fresh (as a preview, recording nothing), at the end of the week.
    func digest(_ week: ISOWeek, publisher: DigestPublisher) throws -> WeeklyDigest {
        let prepared = try publisher.prepare(
            week: week, now: week.end(in: DigestFixtures.paris).addingTimeInterval(3600))
        guard case .fresh(let digest) = prepared.edition else { throw CocoaError(.featureUnsupported) }
        return digest
    }

    func remove() { folder.remove() }
}
