import Foundation
import RegWatch
import TestSupport
import XCTest

/// One daemon per state folder, enforced by a real `flock` on a real file.
final class DaemonStateLockTests: XCTestCase {
    private var folder: TemporaryDirectory!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory(prefix: "regwatch-lock")
    }

    override func tearDown() {
        folder.remove()
    }

    func testTheLockFileSitsBesideTheDatabaseAndHoldsOurPID() throws {
        let database = folder.file("state/regwatch.sqlite")

        let lock = try StateLock(besideDatabase: database)

        XCTAssertEqual(lock.path, folder.file("state/daemon.lock"))
        let contents = try String(contentsOf: lock.path, encoding: .utf8)
        XCTAssertEqual(contents, "\(ProcessInfo.processInfo.processIdentifier)\n")
    }

    func testASecondHolderIsRefusedWithThePIDOfTheFirst() throws {
        let database = folder.file("state/regwatch.sqlite")
        let first = try StateLock(besideDatabase: database)

        XCTAssertThrowsError(try StateLock(besideDatabase: database)) { error in
            let lockError = error as? StateLockError
            XCTAssertEqual(lockError?.problem, .held(pid: ProcessInfo.processInfo.processIdentifier))
            XCTAssertEqual(lockError?.kind, .runtime)
            let description = String(describing: error)
            XCTAssertTrue(description.contains("another regwatch daemon (pid"), description)
            XCTAssertTrue(description.contains(first.path.path), description)
            XCTAssertTrue(description.contains("stop it first"), description)
        }
    }

    func testTheLockIsFreeAgainOnceTheHolderIsGone() throws {
        let database = folder.file("regwatch.sqlite")
        var first: StateLock? = try StateLock(besideDatabase: database)
        XCTAssertNotNil(first)

        first = nil

        XCTAssertNoThrow(try StateLock(besideDatabase: database))
    }

    func testDifferentStateFoldersDoNotShareALock() throws {
        let one = try StateLock(besideDatabase: folder.file("a/regwatch.sqlite"))
        let two = try StateLock(besideDatabase: folder.file("b/regwatch.sqlite"))

        XCTAssertNotEqual(one.path, two.path)
    }

    func testAnUnwritableFolderIsAnErrorThatSaysSo() throws {
        let blocker = try folder.write("not a folder", to: "file")

        XCTAssertThrowsError(try StateLock(besideDatabase: blocker.appendingPathComponent("regwatch.sqlite"))) {
            error in
            guard case .unusable = (error as? StateLockError)?.problem else {
                return XCTFail("expected .unusable, got \(error)")
            }
            XCTAssertTrue(String(describing: error).hasPrefix("cannot lock "), "\(error)")
        }
    }
}
