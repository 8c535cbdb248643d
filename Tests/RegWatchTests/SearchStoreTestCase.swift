import FeedParser
import Foundation
import RegWatch
import TestSupport
import XCTest

/// The set-up of the search tests: a real SQLite file in a temporary folder, the items a test
/// class stores (`stored`, at `t0`), and the search as the guids of its results, best first.
class SearchStoreTestCase: XCTestCase {
    var dir: TemporaryDirectory!
    var db: AppDatabase!
    let t0 = Date(timeIntervalSince1970: 1_764_748_800)
    /// Where the items of `stored` come from.
    let feed = FeedURL("https://www.centre-inffo.fr/feed")!

    /// The items stored before each test.
    var stored: [Item] { [] }
    /// Their row ids, by guid.
    var ids: [String: Int64] = [:]

    override func setUpWithError() throws {
        try super.setUpWithError()
        dir = try TemporaryDirectory(prefix: "regwatch-search")
        db = try AppDatabase.open(at: dir.file("regwatch.sqlite"))
        let items = stored
        let result = try db.upsertItems(items, feedURL: feed, fetchedAt: t0)
        for (item, id) in zip(items, result.insertedIDs) { ids[item.id!] = id }
    }

    override func tearDown() {
        db = nil
        dir.remove()
        super.tearDown()
    }

    /// The guids of the results of `query`, best first.
    func guids(_ query: String) throws -> [String] {
        try db.search(query).map { $0.item.guid ?? "?" }
    }
}
