import ArgumentParser
import Foundation
import RegWatch

extension DigestFormat: ExpressibleByArgument {}

/// `watchctl digest`: the Monday digest of a week, as Markdown, text, email or JSON.
struct Digest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Write the digest of a week (default: the week that just ended), and mail it with --send.",
        discussion: """
            The digest holds the items first seen during the week (Monday to
            Sunday in [digest] time_zone) that no earlier digest carried, ranked
            and cut to the reading budget ([digest] reading_minutes). Rebuilding a
            week gives the same content.

            Without --output, the file goes to [digest] output_dir as
            regwatch-2025-W49.md (.txt, .eml, .json) and its path is printed.
            --output - writes to stdout.

            --send mails it to every [email] to over [email] smtp_url (password,
            if the server wants one: $REGWATCH_SMTP_PASSWORD). The .eml is kept in
            output_dir; a failed send exits 1 and leaves the week unsent.

            Examples:
              watchctl digest
              watchctl digest --week 2025-W49 --format text --output -
              watchctl digest --send
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The ISO week, e.g. 2025-W49 (default: the week that just ended).", valueName: "YYYY-Www"))
    var week: String?

    @Option(help: "markdown, text, email or json (default: markdown).")
    var format: DigestFormat = .markdown

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Where to write it; - for stdout (default: [digest] output_dir/regwatch-YYYY-Www.EXT).", valueName: "FILE"))
    var output: String?

    @Flag(help: "Also mail the digest to every [email] to address (password: $REGWATCH_SMTP_PASSWORD).")
    var send = false

    func run() async throws {
        let config = try global.loadConfiguration()
        let now = Date()
        let database = try AppDatabase.open(at: config.storage.database)
        let publisher = DigestPublisher(configuration: config, database: database)
        let week = try self.week.map { try ISOWeek(parsing: $0) } ?? publisher.defaultWeek(now: now)
        let digest = try publisher.build(week: week, format: format, now: now)
        let text = try publisher.render(digest, as: format, now: now)

        if output == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
        } else {
            let file = output.map { URL(fileURLWithPath: $0) } ?? publisher.defaultFile(for: week, format: format)
            try DigestFile.write(text, to: file)
            print("\(file.path): \(week), \(digest.shownEntries.count) items shown, \(digest.readingMinutes) min")
        }
        if send {
            let report = try await publisher.send(
                digest, now: now, password: ProcessInfo.processInfo.environment["REGWATCH_SMTP_PASSWORD"])
            // stderr: with --output -, stdout holds the digest and nothing else.
            let note = report.firstSend ? "" : " (already marked sent earlier)"
            FileHandle.standardError.write(
                Data("sent \(week) to \(report.recipients.joined(separator: ", ")); kept \(report.file.path)\(note)\n".utf8))
        }
    }
}
