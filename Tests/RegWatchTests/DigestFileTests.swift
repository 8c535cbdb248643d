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
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.file("digests").path), ["regwatch-2025-W49.md"])
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
        XCTAssertEqual(settings.topics.map(\.id.rawValue), ["cpf", "qualiopi", "ia", "neurodiversite", "apprentissage"])
    }
}
