import Foundation
import RegWatch
import TestSupport
import XCTest

extension TemporaryDirectory {
    /// The problems of `text` written here as feeds.toml, a file that must not load: one line
    /// each, the file named `feeds.toml` whatever the folder. Fails the calling test when the
    /// file loads or fails otherwise.
    func configurationProblems(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        do {
            _ = try Configuration.load(from: write(text, to: "feeds.toml"))
            XCTFail("expected a ConfigurationError", file: file, line: line)
            return []
        } catch let error as ConfigurationError {
            let prefix = self.file("feeds.toml").path
            return error.problems.map { $0.description.replacingOccurrences(of: prefix, with: "feeds.toml") }
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
            return []
        }
    }
}
