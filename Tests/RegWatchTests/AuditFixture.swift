import FeedParser
import Foundation
import RegWatch
import XCTest

/// A fixed database for the audit report: the digest week of `DigestStoreFixture` (2025-W49),
/// a hostile item, fetch failures that recover and one that does not, two digests (one sent),
/// and a month of decisions with owners and notes, all at fixed dates.
struct AuditFixture {
    typealias F = DigestFixtures
    let store: DigestStoreFixture
    var database: AppDatabase { store.database }
    var configuration: Configuration { store.configuration }
    /// The Monday the report is "produced".
    static let now = F.paris(5, 10, month: 1, year: 2026)
    /// Topic labels as feeds.toml gives them.
    var labels: [TopicID: String] {
        Dictionary(configuration.topics.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a })
    }

    static let hostileTitle =
        "Décret <b>urgent</b> <script>alert(1)</script> [lien](javascript:alert(1)) <img src=\"https://tracker.example/p.gif\">"

    init() throws {
        store = try DigestStoreFixture(readingMinutes: 15)
        let hostile = try store.store(
            DigestCandidate(
                id: 0, shortID: "x1", title: Self.hostileTitle,
                link: "https://www.digiformag.com/ia?x=<b>\"onmouseover=\"alert(1)", source: "Digiformag",
                published: F.paris(9, 9), firstSeen: F.paris(9, 10), summary: "<b>gras</b>",
                topics: [TopicScore(.ia, 1.8)]))
        // The Dares feed fails for a day then recovers; the failing feeds of the fixture stay down.
        let dares = FeedURL(DigestStoreFixture.feedURLs["Dares"]!)!
        for hour in [8, 9, 10] {
            try database.recordFetchFailure(
                dares, report: FetchReport(time: F.paris(10, hour), status: 503), error: "HTTP 503 Service Unavailable")
        }
        try database.recordFetchNotModified(dares, report: FetchReport(time: F.paris(10, 11), status: 304))
        // Digests: week 49 built and sent on Monday 8, week 50 built but not sent.
        let publisherIDs = try database.items().map(\.id)
        let sent = DigestProduction(
            format: .email, itemIDs: Array(publisherIDs.prefix(12)), shownCount: 10, readingMinutes: 2)
        try database.recordDigest(week: F.week, production: sent, builtAt: F.paris(8, 7))
        try database.freezeDigest(
            week: F.week, production: sent,
            renditions: DigestRenditions(
                markdown: "# Semaine 2025-W49\n", text: "Semaine 2025-W49\n", json: "{}\n", email: nil),
            at: F.paris(8, 7, 1), sentTo: ["equipe@example.org", "direction@example.org"])
        try database.recordDigest(
            week: ISOWeek(year: 2025, week: 50)!,
            production: DigestProduction(format: .markdown, itemIDs: [hostile], shownCount: 1, readingMinutes: 1),
            builtAt: F.paris(15, 7))

        func id(_ start: String) throws -> Int64 {
            try XCTUnwrap(database.items().first { $0.title?.hasPrefix(start) == true }?.id, start)
        }
        let decree = try id("Décret n° 2025-1234")
        let qualiopi = try id("Qualiopi : le référentiel")
        let audit = try id("Audit de surveillance")
        let agefiph = try id("Neurodiversité")
        let webinar = try id("Webinaire")
        let apprentissage = try id("Apprentissage")
        try database.recordFollow(itemID: decree, state: .toRead, owner: "Claire Martin", at: F.paris(8, 9, 20))
        try database.recordFollow(
            itemID: decree, state: .toAct, note: "Mettre à jour les CGV : ordre de mobilisation des droits CPF",
            at: F.paris(8, 9, 30))
        try database.recordFollow(
            itemID: decree, state: .done, note: "CGV v4 publiées sur le site et envoyées aux financeurs",
            at: F.paris(12, 16))
        try database.recordFollow(
            itemID: qualiopi, state: .toAct, owner: "Karim Benali", note: "Impact sur l’indicateur 12",
            at: F.paris(8, 9, 40))
        try database.recordFollow(itemID: audit, state: .toRead, owner: "Karim Benali", at: F.paris(8, 9, 45))
        try database.recordFollow(
            itemID: agefiph, state: .toAct, owner: "Léa Dubois", note: "Adapter le livret d’accueil",
            at: F.paris(8, 9, 50))
        try database.recordFollow(
            itemID: agefiph, state: .done, note: "Livret d’accueil v2, rubrique handicap",
            at: F.paris(6, 11, month: 1, year: 2026))
        try database.recordFollow(itemID: webinar, state: .dismissed, note: "Promotionnel", at: F.paris(8, 9, 55))
        try database.recordFollow(
            itemID: hostile, state: .toRead, owner: "Inès <b>Roy</b>", note: "<i>à vérifier</i> & voir",
            at: F.paris(15, 9))
        // Decided before the period: listed only if the period reaches back to it.
        try database.recordFollow(itemID: apprentissage, state: .toRead, at: F.paris(30, 9, month: 11))
    }

    func report(from: String? = "2025-12-01", to: String? = "2025-12-31") throws -> AuditReport {
        let period = try AuditPeriod(from: from, to: to, timeZone: F.paris, now: Self.now)
        return try database.auditReport(period: period, configuration: configuration, generatedAt: Self.now)
    }

    func remove() { store.remove() }
}
