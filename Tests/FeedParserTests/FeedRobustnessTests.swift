import FeedParser
import Foundation
import XCTest
import TestSupport

/// Inputs a fuzzer would try, and parsing from many threads at once.
final class FeedRobustnessTests: XCTestCase {
    private let names = [
        "wordpress-rss2.xml", "travail-emploi-dc.xml", "atom-xhtml-base.xml", "rdf-rss10.xml",
        "windows-1252-entities.xml", "iso-8859-15-senat.xml", "utf16-atom.xml", "broken-recovered.xml",
        "jsonfeed-1.1.json", "atom03-legacy.xml",
    ]

    func testMutatedAndTruncatedFixturesNeverCrash() throws {
        var generator = SplitMix64(seed: 2025)
        var parsed = 0
        for name in names {
            let original = [UInt8](try Fixture.data(name))
            for round in 0..<60 {
                var bytes = original
                if round % 3 == 0 {
                    bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count + 1))))
                } else {
                    for _ in 0..<(1 + Int(generator.next() % 8)) where !bytes.isEmpty {
                        let at = Int(generator.next() % UInt64(bytes.count))
                        switch generator.next() % 4 {
                        case 0: bytes[at] = UInt8(truncatingIfNeeded: generator.next())
                        case 1: bytes.remove(at: at)
                        case 2: bytes.insert(contentsOf: Array("<&;]]>\u{0}".utf8).shuffled(using: &generator), at: at)
                        default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 40)], at: at)
                        }
                    }
                }
                if (try? FeedParser().parse(Data(bytes))) != nil { parsed += 1 }
            }
        }
        // Most damaged documents still give a feed: recovery, not refusal.
        XCTAssertGreaterThan(parsed, names.count * 60 / 2)
    }

    func testConcurrentParsesGiveTheSameFeedsAsSequentialOnes() throws {
        let inputs = try names.map { try Fixture.data($0) }
        let expected = inputs.map { try? FeedParser().parse($0) }
        let results = Results(count: inputs.count * 8)
        DispatchQueue.concurrentPerform(iterations: inputs.count * 8) { index in
            results.set(index, try? FeedParser().parse(inputs[index % inputs.count]))
        }
        for index in 0..<(inputs.count * 8) {
            XCTAssertEqual(results.get(index), expected[index % inputs.count], names[index % inputs.count])
        }
    }
}

/// Results written by concurrent workers, one slot each, behind a lock.
private final class Results: @unchecked Sendable {
    // @unchecked: every access to `values` goes through `lock`.
    private let lock = NSLock()
    private var values: [Feed?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ feed: Feed?) { lock.withLock { values[index] = feed } }
    func get(_ index: Int) -> Feed? { lock.withLock { values[index] } }
}
