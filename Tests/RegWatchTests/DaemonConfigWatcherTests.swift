#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import RegWatch
import TestSupport
import XCTest

/// How the daemon notices feeds.toml edits, on a real file.
final class DaemonConfigWatcherTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var file: URL!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory(prefix: "regwatch-watch")
        file = try folder.write("https://travail-emploi.gouv.fr/rss\n", to: "feeds.list")
    }

    override func tearDown() {
        folder.remove()
    }

    func testStartLoadsTheFileOnceAndRefusesABrokenOne() throws {
        let (_, settings) = try ConfigWatcher.start(file: file, load: FeedList.load)
        XCTAssertEqual(settings.urls, ["https://travail-emploi.gouv.fr/rss"])

        try folder.write("https://a.example/feed\nnot a url\n", to: "broken.list")
        XCTAssertThrowsError(try ConfigWatcher.start(file: folder.file("broken.list"), load: FeedList.load)) {
            XCTAssertEqual("\($0)", "broken.list:2: not a url: not an http(s) URL")
        }
    }

    func testAnUntouchedFileIsNotReloaded() throws {
        var (watcher, _) = try ConfigWatcher.start(file: file, load: FeedList.load)

        guard case .unchanged = watcher.check() else { return XCTFail("expected .unchanged") }
    }

    func testATouchThatChangesNothingIsNotAReload() throws {
        var (watcher, _) = try ConfigWatcher.start(file: file, load: FeedList.load)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: file.path)

        guard case .unchanged = watcher.check() else { return XCTFail("expected .unchanged") }
    }

    func testAFileReplacedByRenameIsReloaded() throws {
        var (watcher, _) = try ConfigWatcher.start(file: file, load: FeedList.load)
        // What add-feed and most editors do: write beside, then rename over.
        let replacement = try folder.write(
            "https://travail-emploi.gouv.fr/rss\nhttps://www.centre-inffo.fr/feed\n", to: "feeds.list.tmp")
        XCTAssertEqual(rename(replacement.path, file.path), 0)

        guard case .reloaded(let settings) = watcher.check() else { return XCTFail("expected .reloaded") }
        XCTAssertEqual(settings.urls.count, 2)
    }

    func testABrokenEditIsRejectedOnceWithItsLineThenTheFixIsLoaded() throws {
        var (watcher, _) = try ConfigWatcher.start(file: file, load: FeedList.load)
        try folder.write("https://travail-emploi.gouv.fr/rss\nhttps://ok.example/feed\nhtp:/oops\n", to: "feeds.list")

        guard case .rejected(let error) = watcher.check() else { return XCTFail("expected .rejected") }
        XCTAssertEqual("\(error)", "feeds.list:3: htp:/oops: not an http(s) URL")
        guard case .unchanged = watcher.check() else { return XCTFail("a rejected file is reported once") }

        try folder.write("https://travail-emploi.gouv.fr/rss\nhttps://ok.example/feed\n", to: "feeds.list")
        guard case .reloaded(let settings) = watcher.check() else { return XCTFail("expected .reloaded") }
        XCTAssertEqual(settings.urls.last, "https://ok.example/feed")
    }

    func testAForcedCheckReloadsEvenAnUnchangedFile() throws {
        var (watcher, _) = try ConfigWatcher.start(file: file, load: FeedList.load)

        guard case .reloaded = watcher.check(force: true) else { return XCTFail("expected .reloaded") }
    }

    func testADeletedFileIsRejectedAndTheOldConfigKept() throws {
        var (watcher, _) = try ConfigWatcher.start(file: file, load: FeedList.load)
        try FileManager.default.removeItem(at: file)

        guard case .rejected = watcher.check() else { return XCTFail("expected .rejected") }
    }
}

/// A config small enough for the daemon's own tests: one feed URL per line, errors with file:line.
struct FeedList: Sendable, Equatable {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    var urls: [String]

    @Sendable static func load(_ file: URL) throws -> FeedList {
        let text = try String(contentsOf: file, encoding: .utf8)
        var urls: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://") else {
                throw Invalid(description: "\(file.lastPathComponent):\(index + 1): \(trimmed): not an http(s) URL")
            }
            urls.append(trimmed)
        }
        return FeedList(urls: urls)
    }
}
