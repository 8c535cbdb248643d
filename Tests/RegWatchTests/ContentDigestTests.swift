import FeedParser
import Foundation
import GRDB
import TestSupport
import XCTest

@testable import RegWatch

/// The content digest (`item.contentHash`) tells a changed entry from an unchanged one at
/// every fetch: XXH64 as its reference implementation computes it, over framed fields, and
/// entries stored with the earlier (legacy) digest still recognised as unchanged after an
/// upgrade.
final class ContentDigestTests: XCTestCase {
    private var dir: TemporaryDirectory!
    private var db: AppDatabase!
    private let feed = FeedURL("https://www.centre-inffo.fr/feed")!
    private let t0 = Date(timeIntervalSince1970: 1_764_748_800)  // 2025-12-03T08:00:00Z

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-digest")
        db = try AppDatabase.open(at: dir.file("state/regwatch.sqlite"))
    }

    override func tearDown() {
        db = nil
        dir.remove()
    }

    private func decree(summary: String = "Le décret précise les modalités.") -> Item {
        Item(
            id: "https://www.centre-inffo.fr/?p=1001",
            title: "Décret n° 2025-1 relatif au compte personnel de formation",
            link: "https://www.centre-inffo.fr/decret-2025-1", published: t0.addingTimeInterval(-3600),
            summary: summary, content: String(repeating: "Le texte complet du décret. ", count: 20),
            authors: ["Centre Inffo"], categories: ["CPF", "Droit"])
    }

    /// The stored entry as a store written before the current digest left it: the same row
    /// with the legacy digest in `contentHash`.
    private func storeWithLegacyDigest(_ item: Item) throws -> (id: Int64, legacy: String) {
        try db.upsertItems([item], feedURL: feed, fetchedAt: t0)
        let legacy = StableHash.legacyContent(of: item)
        let id = try db.writer.write { db in
            try db.execute(sql: "UPDATE item SET contentHash = ?", arguments: [legacy])
            return try Int64.fetchOne(db, sql: "SELECT id FROM item")!
        }
        return (id, legacy)
    }

    private func storedDigest(_ id: Int64) throws -> String? {
        try db.writer.read {
            try String.fetchOne($0, sql: "SELECT contentHash FROM item WHERE id = ?", arguments: [id])
        }
    }

    func testXXH64GivesTheReferenceImplementationsValueAtEveryLength() {
        // Written by the reference implementation (the `xxhash` Python binding, XXH64) for the
        // bytes 0, 1, 2, … of each length: every branch (stripes, 8-, 4- and 1-byte tails).
        let expected: [(count: Int, seed0: UInt64, seeded: UInt64)] = [
            (0, 0xef46_db37_51d8_e999, 0xc434_9fc9_3c01_0000), (1, 0xe934_a84a_db05_2768, 0x126b_b57a_1236_4aa5),
            (3, 0xe5c7_bb45_33bc_65dd, 0x67bc_6ed5_f6c6_e4ba), (4, 0xffce_d860_4453_cc1e, 0xd898_42cd_31e2_4e54),
            (5, 0xdd02_7438_6e26_030c, 0xb9d3_f14b_1100_262b), (7, 0x14cc_643f_630c_72d2, 0xecec_f5fa_a8a7_490e),
            (8, 0x884a_1736_14b8_1b8d, 0xd18b_6d7a_5a66_8732), (9, 0x67d8_5784_a7c7_8c5b, 0x5e47_193d_adb9_1d9a),
            (12, 0x424a_f23f_1f08_dca5, 0x1326_49ea_1128_bfa2), (31, 0xc346_d2b5_9b4d_8ee1, 0xf3da_6d05_709c_035d),
            (32, 0xcbf5_9c51_16ff_32b4, 0xa1c8_9217_e9d5_0750), (33, 0x0c53_5d1a_cafb_8ead, 0xe6a3_c00c_d6e7_4075),
            (63, 0xe26a_a9e2_a95f_8e4f, 0x26a0_acd7_72de_057e), (64, 0xf7c6_7301_db67_13f0, 0x2589_245e_62a1_969b),
            (100, 0x6ac1_e580_3216_6597, 0x3b97_d91e_ba03_e785),
        ]
        for (count, seed0, seeded) in expected {
            let bytes = (0..<count).map { UInt8($0) }
            bytes.withUnsafeBytes { buffer in
                XCTAssertEqual(XXH64.hash(buffer, seed: 0), seed0, "\(count) bytes")
                XCTAssertEqual(XXH64.hash(buffer, seed: 0x9E37_79B9_7F4A_7C15), seeded, "\(count) bytes, seeded")
            }
        }
    }

    func testXXH64FedInPiecesEqualsXXH64OfTheWhole() {
        let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        bytes.withUnsafeBytes { whole in
            let expected = XXH64.hash(whole, seed: 7)
            // Cut in two at every place, then in pieces of every size from 1 to 40.
            for cut in 0...whole.count {
                var hasher = XXH64(seed: 7)
                hasher.combine(UnsafeRawBufferPointer(rebasing: whole[..<cut]))
                hasher.combine(UnsafeRawBufferPointer(rebasing: whole[cut...]))
                XCTAssertEqual(hasher.value, expected, "cut at \(cut)")
            }
            for size in 1...40 {
                var hasher = XXH64(seed: 7)
                for start in stride(from: 0, to: whole.count, by: size) {
                    hasher.combine(UnsafeRawBufferPointer(rebasing: whole[start..<min(start + size, whole.count)]))
                }
                XCTAssertEqual(hasher.value, expected, "pieces of \(size)")
            }
        }
    }

    /// Entries whose digests are pinned below, in both formats.
    private static let fullEntry = Item(
        id: "x", title: "Décret n° 2025-1234 : le CPF évolue", link: "https://www.example.fr/a",
        published: Date(timeIntervalSince1970: 1_764_748_800), summary: "<p>Résumé</p>",
        content: "Contenu complet", authors: ["Claire", "Jean"], categories: ["CPF", "Qualiopi"])
    private static let titleOnlyEntry = Item(
        title: "Seulement un titre", updated: Date(timeIntervalSince1970: 1_764_748_800.25))

    func testTheContentDigestOfAnEntryNeverChanges() {
        // Computed by the reference implementation over the framing ``StableHash/content(of:)`` documents
        // (a Python transcription): a change of either breaks every stored digest.
        XCTAssertEqual(StableHash.content(of: Self.fullEntry), "xxh64:037249a94e17b2be")
        XCTAssertEqual(StableHash.content(of: Item()), "xxh64:697adbf510633d99")
        XCTAssertEqual(StableHash.content(of: Self.titleOnlyEntry), "xxh64:d43868f6c4b5f99c")
        XCTAssertEqual(StableHash.content(of: Item(title: "")), "xxh64:e73e5719d783fb13")
    }

    /// Databases filled before the XXH64 digest hold this legacy one, and their entries are
    /// compared through it: the digests were computed by the code that filled them (checked
    /// against a cold poll's 26 000 stored hashes), and every rewrite of the legacy digest must
    /// give them again.
    func testTheLegacyContentHashOfAnEntryNeverChanges() {
        XCTAssertEqual(StableHash.legacyContent(of: Self.fullEntry), "28ad429c87f925e9bde64bd80b6274b5")
        XCTAssertEqual(StableHash.legacyContent(of: Item()), "1b3ab4f10b65119456f95ae4fa0fb5fb")
        XCTAssertEqual(StableHash.legacyContent(of: Self.titleOnlyEntry), "5b950b5301fbebad39d1240e333d0115")
    }

    func testTheDigestTellsFieldsApartWhereverTheirBytesFall() {
        let digests = [
            Item(title: "ab", link: "c"), Item(title: "a", link: "bc"), Item(title: "abc"), Item(link: "abc"),
            Item(title: ""), Item(), Item(authors: ["a", "b"]), Item(authors: ["ab"]), Item(categories: ["a", "b"]),
            Item(authors: ["a"], categories: ["b"]), Item(published: Date(timeIntervalSince1970: 0)),
            Item(updated: Date(timeIntervalSince1970: 0)),
        ].map(StableHash.content(of:))
        XCTAssertEqual(Set(digests).count, digests.count, "\(digests)")
    }

    func testAnEntryStoredWithTheLegacyDigestAndFetchedUnchangedIsNotUpdated() throws {
        let item = decree()
        let stored = try storeWithLegacyDigest(item)
        let result = try db.upsertItems([item], feedURL: feed, fetchedAt: t0.addingTimeInterval(3600))
        XCTAssertEqual(result, UpsertResult())
        // Nothing written: the row keeps its legacy digest and no `updated` date.
        XCTAssertEqual(try storedDigest(stored.id), stored.legacy)
        XCTAssertNil(try db.items().first?.updated)
    }

    func testAnEntryStoredWithTheLegacyDigestWhoseTextChangedIsUpdatedUnderTheCurrentDigest() throws {
        let stored = try storeWithLegacyDigest(decree())
        let changed = decree(summary: "Le décret est rectifié au JO du lendemain.")
        let later = t0.addingTimeInterval(3600)
        let result = try db.upsertItems([changed], feedURL: feed, fetchedAt: later)
        XCTAssertEqual(result.updated, 1)
        XCTAssertEqual(result.updatedIDs, [stored.id])
        XCTAssertEqual(try storedDigest(stored.id), StableHash.content(of: changed))
        XCTAssertEqual(try db.items().first?.summary, changed.summary)
        XCTAssertEqual(try db.items().first?.updated, later)
        // Fetched again unchanged, under the current digest now: nothing more.
        XCTAssertEqual(
            try db.upsertItems([changed], feedURL: feed, fetchedAt: later.addingTimeInterval(3600)), UpsertResult())
    }

    func testANewEntryIsStoredUnderTheCurrentDigest() throws {
        let item = decree()
        try db.upsertItems([item], feedURL: feed, fetchedAt: t0)
        let digest = try db.writer.read { try String.fetchOne($0, sql: "SELECT contentHash FROM item") }
        XCTAssertEqual(digest, StableHash.content(of: item))
        XCTAssertTrue(digest?.hasPrefix(StableHash.formatPrefix) == true)
    }
}
