import Foundation
import Transfer

/// What `watchctl digest` does, as a library: build a week's digest from the store, record
/// what it carries, render it, write it, and send it by email.
public struct DigestPublisher: Sendable {
    /// The configuration (`[digest]`, `[email]`, feeds and topics).
    public let configuration: Configuration
    /// The store the items come from and the digest is recorded in.
    public let database: AppDatabase

    /// Creates a publisher.
    public init(configuration: Configuration, database: AppDatabase) {
        self.configuration = configuration
        self.database = database
    }

    /// The digest settings feeds.toml describes.
    public var settings: DigestSettings { DigestSettings(configuration) }

    /// The week `watchctl digest` builds by default: the one that just ended in `[digest] time_zone`.
    public func defaultWeek(now: Date) -> ISOWeek {
        ISOWeek.lastCompleted(now: now, in: configuration.digest.timeZone)
    }

    /// Builds the digest of `week` and records the items it carries (shown in full or listed in
    /// "Pour aller plus loin"), replacing what an earlier build of the same week recorded.
    public func build(week: ISOWeek, format: DigestFormat, now: Date) throws -> WeeklyDigest {
        let settings = self.settings
        let input = try database.digestInput(week: week, timeZone: settings.timeZone, feeds: configuration.feeds)
        let digest = WeeklyDigest.build(from: input, settings: settings)
        try database.recordDigest(week: week, format: format, itemIDs: digest.carriedItemIDs, builtAt: now)
        return digest
    }

    /// `digest` in `format`; the email is dated `now` and addressed as `[email]` says.
    ///
    /// - Throws: ``DigestPublishingError`` when the email format is asked for without an `[email]` section.
    public func render(_ digest: WeeklyDigest, as format: DigestFormat, now: Date) throws -> String {
        switch format {
        case .markdown: return digest.renderMarkdown()
        case .text: return digest.renderText()
        case .json: return digest.renderJSON()
        case .email: return digest.renderEmail(envelope: try envelope(now: now))
        }
    }

    /// Where a week's digest goes by default: `[digest] output_dir/regwatch-2025-W49.md`.
    public func defaultFile(for week: ISOWeek, format: DigestFormat) -> URL {
        configuration.digest.outputDirectory.appendingPathComponent(format.fileName(for: week))
    }

    /// Writes the email digest to `[digest] output_dir` (kept whatever happens next), sends it
    /// over `[email] smtp_url` to every `[email] to`, then marks the week as sent (once: a
    /// resend keeps the first date).
    ///
    /// - Parameter password: the SMTP password (`$REGWATCH_SMTP_PASSWORD`); `nil` sends without AUTH.
    /// - Throws: ``DigestPublishingError`` (runtime) naming the server, the reason and the kept
    ///   file; the week then stays unsent.
    public func send(_ digest: WeeklyDigest, now: Date, password: String?) async throws -> DigestSendReport {
        let envelope = try envelope(now: now)
        let email = configuration.email!
        let message = digest.renderEmail(envelope: envelope)
        let file = defaultFile(for: digest.week, format: .email)
        try DigestFile.write(message, to: file)
        let recipients = email.to.map(DigestMIME.addressSpec)
        do {
            try await MailSender().send(
                message: Data(message.utf8), from: DigestMIME.addressSpec(email.from), to: recipients,
                server: email.smtpURL, username: nil, password: password)
        } catch {
            throw DigestPublishingError(
                kind: .runtime,
                description: "digest \(digest.week) not sent via \(email.smtpURL.absoluteString): "
                    + "\(DigestText.clean(String(describing: error))); the message is kept in \(file.path), "
                    + "retry with watchctl digest --week \(digest.week) --send")
        }
        let marked = try database.markDigestSent(week: digest.week, at: now, to: recipients)
        return DigestSendReport(recipients: recipients, file: file, firstSend: marked)
    }

    func envelope(now: Date) throws -> DigestEnvelope {
        guard let email = configuration.email, !email.to.isEmpty else {
            throw DigestPublishingError.noEmailSection(configuration.file?.path ?? "feeds.toml")
        }
        return DigestEnvelope(from: email.from, to: email.to, date: now)
    }
}

extension WeeklyDigest {
    /// Every stored item the digest carries: shown in full or listed in "Pour aller plus loin",
    /// with the items of their stories. Those are not repeated by a later week's digest.
    public var carriedItemIDs: [Int64] {
        (shownEntries + more).flatMap(\.itemIDs)
    }
}

/// What `send` did.
public struct DigestSendReport: Sendable, Equatable {
    /// The addresses the server accepted the message for.
    public var recipients: [String]
    /// The .eml that was sent, kept in `[digest] output_dir`.
    public var file: URL
    /// Whether this send marked the week as sent (false when an earlier send already had).
    public var firstSend: Bool
}

/// Why a digest could not be written or sent.
public struct DigestPublishingError: ActionableError, Equatable {
    /// Whose fault.
    public let kind: FailureKind
    /// One line: what failed, where, what to do.
    public let description: String

    static func noEmailSection(_ file: String) -> DigestPublishingError {
        DigestPublishingError(
            kind: .badInput,
            description: "\(file): the email digest needs an [email] section with from and to; add one (see docs/configuration.md)")
    }
}
