import FeedParser
import Foundation
import XCTest

/// Fixture files (Tests/FeedParserTests/Fixtures) and small helpers shared by the tests.
enum Fixture {
    static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures", isDirectory: true)
    }

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    static func parse(_ name: String, baseURL: String? = nil, charset: String? = nil) throws -> Feed {
        try FeedParser().parse(data(name), baseURL: baseURL.flatMap { URL(string: $0) }, charset: charset)
    }
}

/// A UTC instant written as in the JSON contract.
func utc(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Date {
    guard let date = FeedDate.parse(text) else {
        XCTFail("bad test date \(text)", file: file, line: line)
        return Date(timeIntervalSince1970: 0)
    }
    return date
}
