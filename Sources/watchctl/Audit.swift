import ArgumentParser
import Foundation
import RegWatch

/// The formats of `watchctl audit`.
enum AuditFormat: String, ExpressibleByArgument, CaseIterable {
    case markdown, html, json
}

/// `watchctl audit [--from DATE] [--to DATE] [--format markdown|html|json] [--output FILE]`:
/// the dated record of the watch for a Qualiopi audit (indicator 23).
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Write the dated record of the watch for a Qualiopi audit (indicator 23).",
        discussion: """
            The record lists the sources watched (topics, followed since, failing \
            periods from the fetch log), each digest produced (when, sent when and \
            to whom) and every item acted on with `watchctl follow` (state history, \
            notes, owners), grouped by topic and by month. Everything comes from the \
            database: items dropped by their feeds are still there.

            Dates are days (YYYY-MM-DD) in [digest] time_zone, both included. \
            Without --from: since the beginning; without --to: up to today. \
            --format html writes one self-contained page (no script, no remote \
            resource) to print to PDF from a browser.

            Examples:
              watchctl audit --from 2025-01-01 --to 2025-12-31 --format html --output veille-2025.html
              watchctl audit --format json --output -
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The first day covered (default: the beginning of the watch).", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(help: ArgumentHelp("The last day covered (default: today).", valueName: "YYYY-MM-DD"))
    var to: String?

    @Option(help: "markdown, html or json (default: markdown).")
    var format: AuditFormat = .markdown

    @Option(help: ArgumentHelp("Where to write it (default: stdout; - is stdout too).", valueName: "FILE"))
    var output: String?

    func run() async throws {
        let configuration = try global.loadConfiguration()
        let now = Date()
        let period = try AuditPeriod(from: from, to: to, timeZone: configuration.digest.timeZone, now: now)
        let database = try global.openDatabase(configuration)
        let report = try database.auditReport(period: period, configuration: configuration, generatedAt: now)
        let labels = Dictionary(configuration.topics.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a })
        let text =
            switch format {
            case .markdown: report.renderMarkdown(labels: labels)
            case .html: report.renderHTML(labels: labels)
            case .json: report.renderJSON()
            }
        guard let output, output != "-" else {
            StandardOutput.write(text)
            return
        }
        let url = URL(
            fileURLWithPath: output, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        try DigestFile.write(text, to: url)
        print(url.path)
    }
}
