import Foundation
import RegWatch
import TestSupport
import XCTest

/// Digest files are written whole or not at all, and a failure names the file.
final class DigestFileTests: XCTestCase {
    func testWritesCreatingTheFolderAndLeavesNoTemporaryFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let target = folder.file("digests/regwatch-2025-W49.md")
        try DigestFile.write("# Veille\n", to: target)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "# Veille\n")
        try DigestFile.write("# Veille, reconstruite\n", to: target)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "# Veille, reconstruite\n")
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder.file("digests").path), ["regwatch-2025-W49.md"])
    }

    func testASpecialFileIsWrittenInPlaceNotReplaced() throws {
        // `--output /dev/null` must not turn the device into a file: shown here with a FIFO.
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let fifo = folder.file("pipe")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        nonisolated(unsafe) var received = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            // Opening a FIFO for reading waits for the writer, then reads until it closes.
            if let handle = FileHandle(forReadingAtPath: fifo.path) { received = handle.readDataToEndOfFile() }
            group.leave()
        }
        try DigestFile.write("# Veille\n", to: fifo)
        // Not a speed check: if the FIFO had been replaced, its reader would wait forever.
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success, "nothing was written to the FIFO")
        XCTAssertEqual(String(decoding: received, as: UTF8.self), "# Veille\n")
        let type = try FileManager.default.attributesOfItem(atPath: fifo.path)[.type] as? FileAttributeType
        XCTAssertNotEqual(type, .typeRegular)
    }

    func testAnUnwritableFolderIsARuntimeErrorNamingTheFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // A regular file where the folder should be: no permission trick needed, fails even as root.
        try folder.write("not a folder", to: "digests")
        let target = folder.file("digests/regwatch-2025-W49.md")
        XCTAssertThrowsError(try DigestFile.write("x", to: target)) { error in
            let digestError = error as? DigestFileError
            XCTAssertEqual(digestError?.kind, .runtime)
            XCTAssertTrue(String(describing: error).contains(target.path), String(describing: error))
            XCTAssertTrue(String(describing: error).contains("output_dir"), String(describing: error))
        }
    }

    func testSettingsComeFromTheDigestSectionAndTopicsOfFeedsToml() throws {
        let configuration = try Configuration.parse(
            """
            [digest]
            time_zone = "America/Montreal"
            reading_minutes = 10
            words_per_minute = 200
            language = "en"

            [[topics]]
            id = "apprentissage"
            label = "Apprentissage"
            terms = ["apprentissage"]
            """)
        let settings = DigestSettings(configuration)
        XCTAssertEqual(settings.readingMinutes, 10)
        XCTAssertEqual(settings.wordsPerMinute, 200)
        XCTAssertEqual(settings.language, .en)
        XCTAssertEqual(settings.timeZone.identifier, "America/Montreal")
        XCTAssertEqual(
            settings.topics.map(\.id.rawValue), ["cpf", "qualiopi", "ia", "neurodiversite", "apprentissage"])
    }
}
