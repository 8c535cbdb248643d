import Foundation
import RegWatch
import TestSupport
import XCTest

/// `add-feed` / `remove-feed` / `import-opml` edit the user's feeds.toml: every byte they do not
/// mean to change must survive, and a duplicate must be refused.
final class FeedsFileEditingTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-feedsfile")
    }

    override func tearDown() {
        dir.remove()
    }

    private let original = """
        # Veille du CFA — ne pas supprimer les commentaires !
        [storage]
        database = "state/regwatch.sqlite"   # à côté de ce fichier

        # Centre Inffo : toute l'actualité de la formation
        [[feeds]]
        url = "https://www.centre-inffo.fr/feed"
        topics = ["cpf", "qualiopi"]   # droit et financement
        weight = 1.2

        # Sydologie : ingénierie pédagogique
        [[feeds]]
        url = "https://sydologie.com/feed"
        # plus souvent le lundi
        interval = "30m"

        # fin des sources
        """ + "\n"

    private func contents(_ url: URL) throws -> String {
        try String(decoding: Data(contentsOf: url), as: UTF8.self)
    }

    func testAppendAddsATableAtTheEndAndKeepsEveryExistingByte() throws {
        let file = try dir.write(original, to: "feeds.toml")
        let entry = FeedEntry(
            url: FeedURL("https://www.digiformag.com/feed/")!, title: "Digiformag \"le mag\"",
            topics: [.cpf, .ia], interval: .seconds(7200), weight: 1.5)
        try FeedsFile(file: file).append(feed: entry)
        let after = try contents(file)
        XCTAssertTrue(after.hasPrefix(original), "existing text changed:\n\(after)")
        XCTAssertEqual(
            String(after.dropFirst(original.count)),
            """

            [[feeds]]
            url = "https://www.digiformag.com/feed/"
            title = "Digiformag \\"le mag\\""
            topics = ["cpf", "ia"]
            interval = "2h"
            weight = 1.5

            """)
        let config = try Configuration.load(from: file)
        XCTAssertEqual(config.feeds.last, entry)
    }

    func testAppendToAFileWithoutFinalNewlineStillGivesValidTOML() throws {
        let file = try dir.write("[fetch]\nconcurrency = 4", to: "feeds.toml")
        try FeedsFile(file: file).append(feed: FeedEntry(url: FeedURL("https://sydologie.com/feed")!))
        XCTAssertEqual(
            try contents(file), "[fetch]\nconcurrency = 4\n\n[[feeds]]\nurl = \"https://sydologie.com/feed\"\n")
        XCTAssertEqual(try Configuration.load(from: file).feeds.count, 1)
    }

    func testAppendRefusesADuplicateThatDiffersOnlyInTrailingSlashOrCase() throws {
        let file = try dir.write(original, to: "feeds.toml")
        for variant in [
            "https://sydologie.com/feed/", "HTTPS://Sydologie.COM/feed", "https://www.centre-inffo.fr:443/feed",
        ] {
            XCTAssertThrowsError(try FeedsFile(file: file).append(feed: FeedEntry(url: FeedURL(variant)!)), variant) {
                error in
                guard let error = error as? FeedsFileError, case .duplicate = error.reason else {
                    return XCTFail("unexpected \(error)")
                }
                XCTAssertEqual(error.kind, .badInput)
                XCTAssertTrue(error.description.contains("is already listed"), error.description)
            }
        }
        XCTAssertEqual(try contents(file), original)
    }

    func testRemoveTakesOutExactlyThatTableAndKeepsTheComments() throws {
        let file = try dir.write(original, to: "feeds.toml")
        let removed = try FeedsFile(file: file).remove(url: FeedURL("https://SYDOLOGIE.com/feed/")!)
        XCTAssertEqual(removed.rawValue, "https://sydologie.com/feed")
        XCTAssertEqual(
            try contents(file),
            """
            # Veille du CFA — ne pas supprimer les commentaires !
            [storage]
            database = "state/regwatch.sqlite"   # à côté de ce fichier

            # Centre Inffo : toute l'actualité de la formation
            [[feeds]]
            url = "https://www.centre-inffo.fr/feed"
            topics = ["cpf", "qualiopi"]   # droit et financement
            weight = 1.2

            # Sydologie : ingénierie pédagogique

            # fin des sources

            """)
        XCTAssertEqual(
            try Configuration.load(from: file).feeds.map(\.url.rawValue), ["https://www.centre-inffo.fr/feed"])
    }

    func testRemoveThenAppendOfAnUnrelatedFeedLeavesOtherTablesIntact() throws {
        let file = try dir.write(original, to: "feeds.toml")
        try FeedsFile(file: file).remove(url: FeedURL("https://www.centre-inffo.fr/feed")!)
        let config = try Configuration.load(from: file)
        XCTAssertEqual(config.feeds, [FeedEntry(url: FeedURL("https://sydologie.com/feed")!, interval: .seconds(1800))])
        XCTAssertTrue(try contents(file).contains("# Centre Inffo : toute l'actualité de la formation\n"))
        XCTAssertTrue(try contents(file).contains("# plus souvent le lundi\n"))
    }

    func testRemovingAnUnknownURLIsAnErrorAndChangesNothing() throws {
        let file = try dir.write(original, to: "feeds.toml")
        XCTAssertThrowsError(try FeedsFile(file: file).remove(url: FeedURL("https://example.org/feed")!)) { error in
            XCTAssertEqual((error as? FeedsFileError)?.reason, .notFound("https://example.org/feed"))
        }
        XCTAssertEqual(try contents(file), original)
    }

    func testEditsReplaceTheFileAtomicallyAndLeaveNoTemporaryFile() throws {
        let file = try dir.write(original, to: "feeds.toml")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
        let inodeBefore = try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int
        try FeedsFile(file: file).append(feed: FeedEntry(url: FeedURL("https://www.cnil.fr/fr/rss.xml")!))
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        XCTAssertNotEqual(attributes[.systemFileNumber] as? Int, inodeBefore, "written in place, not renamed")
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o640)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter {
            $0.hasSuffix(".tmp")
        }
        XCTAssertEqual(leftovers, [])
    }

    func testEachEditRereadsTheFileSoAConcurrentChangeIsKept() throws {
        let file = try dir.write(original, to: "feeds.toml")
        let editor = FeedsFile(file: file)
        try editor.append(feed: FeedEntry(url: FeedURL("https://www.cnil.fr/fr/rss.xml")!))
        // Someone edits by hand between two commands.
        let handEdited =
            try contents(file) + "\n# ajouté à la main\n[[feeds]]\nurl = \"https://www.agefiph.fr/rss.xml\"\n"
        try Data(handEdited.utf8).write(to: file)
        try editor.append(feed: FeedEntry(url: FeedURL("https://sydologie.com/other-feed")!))
        let urls = try Configuration.load(from: file).feeds.map(\.url.host)
        XCTAssertEqual(
            urls, ["www.centre-inffo.fr", "sydologie.com", "www.cnil.fr", "www.agefiph.fr", "sydologie.com"])
        XCTAssertTrue(try contents(file).contains("# ajouté à la main\n"))
    }

    func testConcurrentAppendsFromManyThreadsLoseNone() throws {
        let file = try dir.write(original, to: "feeds.toml")
        DispatchQueue.concurrentPerform(iterations: 12) { i in
            try? FeedsFile(file: file).append(feed: FeedEntry(url: FeedURL("https://example.org/feed-\(i)")!))
        }
        XCTAssertEqual(try Configuration.load(from: file).feeds.count, 2 + 12)
    }
}
