import RegWatch
import TestSupport
import XCTest

/// The set-up of the tests that go through the real path: a loopback HTTP server, a temporary
/// folder, and a real SQLite store in it (`state/regwatch.sqlite`, as the daemon keeps it).
class LoopbackStoreTestCase: XCTestCase {
    var server: LoopbackHTTPServer!
    var directory: TemporaryDirectory!
    var database: AppDatabase!

    override func setUpWithError() throws {
        try super.setUpWithError()
        server = try LoopbackHTTPServer()
        directory = try TemporaryDirectory()
        database = try AppDatabase.open(at: directory.file("state/regwatch.sqlite"))
    }

    override func tearDown() {
        server.stop()
        directory.remove()
        super.tearDown()
    }
}
