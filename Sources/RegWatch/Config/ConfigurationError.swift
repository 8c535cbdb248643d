import Foundation

/// What is wrong with a feeds.toml: every problem found, each with its file and line.
///
/// Loading collects all problems before throwing, so `watchctl check-config` can list them
/// at once rather than one per run. Its ``description`` is one line (what the CLI prints);
/// ``problems`` holds one line each.
public struct ConfigurationError: ActionableError, Equatable {
    /// One thing wrong with the file, at one place.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The file as the user named it.
        public var file: String
        /// 1-based line, `nil` when the problem is not at a line (the file is missing).
        public var line: Int?
        /// `[[feeds]] url: "htp://x" is not an http(s) URL`, in both languages.
        public var message: Wording

        /// Creates a problem.
        public init(file: String, line: Int?, message: Wording) {
            self.file = file
            self.line = line
            self.message = message
        }

        /// `feeds.toml:14: [[feeds]] url: "htp://x" is not an http(s) URL`, in both languages.
        public var wording: Wording { message.prefixed(line.map { "\(file):\($0): " } ?? "\(file): ") }

        /// The English line.
        public var description: String { wording.english }
    }

    /// Every problem, in line order.
    public var problems: [Problem]

    /// Wraps the problems found.
    public init(problems: [Problem]) {
        self.problems = problems
    }

    /// Config errors are the user's input: exit 2.
    public var kind: FailureKind { .badInput }

    /// The first problem, plus how many more (one line, for stderr), in both languages.
    public var wording: Wording {
        guard let first = problems.first else { return .invalidConfiguration }
        return .firstProblem(first.wording, more: problems.count - 1)
    }

    /// The English line.
    public var description: String { wording.english }
}
