import ArgumentParser
import Foundation
import RegWatch

extension DigestFormat: ExpressibleByArgument {}

/// `watchctl digest`: the Monday digest of a week, as Markdown, text, email or JSON.
struct Digest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Write the digest of a week (default: the week that just ended), send or deliver it.",
        discussion: """
            A week's digest shows what was published that week (Monday to Sunday in \
            [digest] time_zone): items dated in the week, or first seen in it when \
            their feed gives no date, plus items of the week before that arrived \
            late from a source already watched. A back catalogue found by the first \
            poll of a new source is not news of the week: the footer only counts it. \
            Items an earlier week's digest carried are not repeated; the items are \
            ranked and cut to the reading budget ([digest] reading_minutes).

            Without --output, the file goes to [digest] output_dir as \
            regwatch-2025-W49.md (.txt, .eml, .json) and its path is printed: that \
            produces the week's digest, which the audit record lists. --output - (or \
            a file elsewhere) is a preview: nothing is recorded.

            --send mails it to every [email] to over [email] smtp_url (password, if \
            the server wants one: $REGWATCH_SMTP_PASSWORD). --deliver writes the \
            Markdown to output_dir and delivers it to every configured target (--to \
            NAME for one), once per week and target (--force posts again); with no \
            target configured it only writes the file, and succeeds: this is what the \
            weekly timer runs.

            Once a week was sent or delivered, what was sent is kept: the week is \
            reproduced as sent, whatever was polled since. --rebuild makes a new \
            version from the store, recorded beside the first one.

            A week that has not begun, or that ended before regwatch's first poll and \
            oldest item, is refused (exit 2).

            Examples:
              watchctl digest
              watchctl digest --week 2025-W49 --format text --output -
              watchctl digest --deliver
              watchctl digest --week 2025-W49 --rebuild --send
            """)

    @OptionGroup var global: GlobalOptions

    @Option(
        help: ArgumentHelp("The ISO week, e.g. 2025-W49 (default: the week that just ended).", valueName: "YYYY-Www"))
    var week: String?

    @Option(help: "markdown, text, email or json (default: markdown).")
    var format: DigestFormat = .markdown

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Where to write it; - for stdout, a preview (default: [digest] output_dir/regwatch-YYYY-Www.EXT).",
            valueName: "FILE"))
    var output: String?

    @Flag(help: "Also mail the digest to every [email] to address (password: $REGWATCH_SMTP_PASSWORD).")
    var send = false

    @Flag(help: "Deliver it to every configured target, once per week and target (what the weekly timer runs).")
    var deliver = false

    @Option(help: ArgumentHelp("With --deliver: only the target named NAME.", valueName: "NAME"))
    var to: String?

    @Flag(help: "With --deliver: deliver again to targets that already have the week.")
    var force = false

    @Flag(help: "Build a new version of a week already sent or delivered (both stay in the audit record).")
    var rebuild = false

    @Flag(help: "With --deliver: one JSON document, a result per target [{name, type, status, error}].")
    var json = false

    func validate() throws {
        if to != nil && !deliver { throw ValidationError(Messages.current.goesWith("--to", "--deliver")) }
        if force && !deliver { throw ValidationError(Messages.current.goesWith("--force", "--deliver")) }
        if json && !deliver {
            throw ValidationError(Messages.current.jsonGoesWithDeliver)
        }
        if deliver && (send || output != nil) {
            throw ValidationError(Messages.current.deliverTakesNoOutput)
        }
    }

    func run() async throws {
        let config = try global.loadConfiguration()
        let now = Date()
        let database = try AppDatabase.open(at: config.storage.database)
        let publisher = DigestPublisher(configuration: config, database: database)
        let week = try self.week.map { try ISOWeek(parsing: $0) } ?? publisher.defaultWeek(now: now)
        let prepared = try publisher.prepare(week: week, now: now, rebuild: rebuild)
        let password = ProcessInfo.processInfo.environment["REGWATCH_SMTP_PASSWORD"]

        if deliver {
            let run = try await publisher.deliver(prepared, now: now, to: to, force: force, password: password)
            if json {
                try Output.printJSON(run.results.map(DeliveryResultJSON.init))
            } else {
                print(
                    Messages.current.digestWritten(
                        file: run.file.path, week: week.description, shown: prepared.shownCount,
                        minutes: prepared.readingMinutes, note: Self.keptNote(prepared, zone: config.digest.timeZone)))
                if run.results.isEmpty { print(Messages.current.digestNoTarget(file: run.file.path)) }
                for result in run.results {
                    print(Self.line(result, zone: config.digest.timeZone))
                }
            }
            if !run.succeeded {
                throw DeliveryFailed(failed: run.results.filter { $0.status == .failed }.map(\.target.name))
            }
            return
        }

        let text = try publisher.render(prepared, as: format, now: now)
        if output == "-" {
            StandardOutput.write(text)
        } else {
            let file = output.map { URL(fileURLWithPath: $0) } ?? publisher.defaultFile(for: week, format: format)
            let recorded = try publisher.write(prepared, format: format, text: text, to: file, now: now)
            let preview = recorded == nil && !prepared.isKept ? Messages.current.digestPreview : ""
            print(
                Messages.current.digestWritten(
                    file: file.path, week: week.description, shown: prepared.shownCount,
                    minutes: prepared.readingMinutes,
                    note: Self.keptNote(prepared, zone: config.digest.timeZone) + preview))
        }
        if send {
            let report = try await publisher.send(prepared, now: now, password: password)
            // stderr: with --output -, stdout holds the digest and nothing else.
            let line = Messages.current.digestSent(
                week: week.description, recipients: report.recipients.joined(separator: ", "),
                file: report.file.path, firstSend: report.firstSend)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// " (as sent on 08/12/2025 07:01, version 1)" for a week reproduced as it was sent.
    static func keptNote(_ prepared: PreparedDigest, zone: TimeZone) -> String {
        guard case .kept(let stored) = prepared.edition, let frozen = stored.frozenAt else { return "" }
        return Messages.current.digestKept(frozen: Output.local(frozen, in: zone), version: stored.version)
    }

    /// "email: delivered" / "email: already delivered on …" / "email: failed: …".
    static func line(_ result: DeliveryResult, zone: TimeZone) -> String {
        switch result.status {
        case .delivered: Messages.current.delivered(target: result.target.name)
        case .alreadyDelivered:
            Messages.current.alreadyDelivered(
                target: result.target.name, on: Output.local(result.deliveredAt, in: zone))
        case .failed:
            Messages.current.deliveryFailed(
                target: result.target.name, error: result.failure.map(Messages.current.line) ?? "")
        }
    }
}

/// One target in `digest --deliver --json` (docs/cli.md keys).
struct DeliveryResultJSON: Encodable {
    let name: String
    let type: String
    let status: String
    let error: String?

    init(_ result: DeliveryResult) {
        name = result.target.name
        type = result.target.type
        status = result.status.rawValue
        error = result.error
    }

    // `error: null` rather than a missing key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(status, forKey: .status)
        try container.encode(error, forKey: .error)
    }

    enum CodingKeys: String, CodingKey { case name, type, status, error }
}

/// Some target could not be delivered: exit 1 after every target was tried.
struct DeliveryFailed: ActionableError {
    let failed: [String]
    var kind: FailureKind { .runtime }
    var wording: Wording { .notDelivered(to: failed) }
    var description: String { wording.english }
}
