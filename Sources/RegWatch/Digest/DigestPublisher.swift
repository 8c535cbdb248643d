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

    /// Checks that a digest of `week` can say something true: the week has begun, and it does
    /// not end before everything the store knows (its first poll, its oldest item).
    ///
    /// - Throws: ``DigestPublishingError`` (bad input) naming the week and the weeks that can be asked for.
    public func validate(_ week: ISOWeek, now: Date) throws {
        let zone = configuration.digest.timeZone
        let current = ISOWeek.containing(now, in: zone)
        if week.start(in: zone) > now {
            throw DigestPublishingError(kind: .badInput, .weekNotBegun(week, current: current, zone: zone))
        }
        // The week that just ended is always allowed: on a new installation, its digest is
        // the first one, made of what the first poll found published in it.
        let earliest = min(try database.earliestKnownDate() ?? now, defaultWeek(now: now).start(in: zone))
        if week.end(in: zone) <= earliest {
            let first = ISOWeek.containing(earliest, in: zone)
            throw DigestPublishingError(kind: .badInput, .weekBeforeHistory(week, first: first, current: current))
        }
    }

    /// The digest of `week` as the team gets it, recording nothing (a preview records nothing).
    ///
    /// A week already sent or delivered is reproduced from what was sent, unless `rebuild`
    /// asks for a new version; any other week is built from the store now.
    ///
    /// - Throws: ``DigestPublishingError`` for a week ``validate(_:now:)`` refuses; store errors.
    public func prepare(week: ISOWeek, now: Date, rebuild: Bool = false) throws -> PreparedDigest {
        try validate(week, now: now)
        if !rebuild, let stored = try database.storedDigest(week: week), stored.isFrozen, stored.renditions != nil {
            return PreparedDigest(week: week, edition: .kept(stored), rebuild: false)
        }
        let input = try database.digestInput(
            week: week, timeZone: settings.timeZone, feeds: configuration.feeds, now: now)
        let digest = WeeklyDigest.build(from: input, settings: settings)
        let frozen = try database.storedDigest(week: week)?.isFrozen ?? false
        return PreparedDigest(week: week, edition: .fresh(digest), rebuild: rebuild && frozen)
    }

    /// `prepared` in `format`; a fresh email is dated `now` and addressed as `[email]` says, a
    /// kept one is the message that was sent.
    ///
    /// - Throws: ``DigestPublishingError`` when the email format is asked for without an
    ///   `[email]` section, or of a week kept without an email.
    public func render(_ prepared: PreparedDigest, as format: DigestFormat, now: Date) throws -> String {
        switch prepared.edition {
        case .fresh(let digest):
            return try render(digest, as: format, now: now)
        case .kept(let stored):
            guard let text = stored.renditions?.text(for: format) else {
                throw DigestPublishingError(kind: .badInput, .keptWithoutEmail(prepared.week))
            }
            return text
        }
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

    /// Whether `file` is in `[digest] output_dir`: writing there produces the digest (the
    /// team's folder); writing anywhere else is a preview.
    public func isInOutputDirectory(_ file: URL) -> Bool {
        let folder = configuration.digest.outputDirectory.standardizedFileURL.resolvingSymlinksInPath().path
        let parent = file.standardizedFileURL.deletingLastPathComponent().resolvingSymlinksInPath().path
        return parent == folder
    }

    /// Writes `text` (the rendering of `prepared` in `format`) to `file`; when the file is in
    /// `[digest] output_dir`, records the week's digest as produced.
    ///
    /// - Returns: the version recorded, `nil` for a preview written elsewhere.
    @discardableResult
    public func write(_ prepared: PreparedDigest, format: DigestFormat, text: String, to file: URL, now: Date) throws
        -> StoredDigest?
    {
        try DigestFile.write(text, to: file)
        guard isInOutputDirectory(file) else { return nil }
        return try record(prepared, format: format, now: now)
    }

    /// Records `prepared` as produced (a kept version is left as it is).
    @discardableResult
    public func record(_ prepared: PreparedDigest, format: DigestFormat, now: Date) throws -> StoredDigest? {
        guard case .fresh(let digest) = prepared.edition else { return nil }
        return try database.recordDigest(
            week: prepared.week, production: digest.production(format: format), builtAt: now, rebuild: prepared.rebuild)
    }

    /// Writes the email digest to `[digest] output_dir` (kept whatever happens next), sends it
    /// over `[email] smtp_url` to every `[email] to`, then keeps the week as sent: its
    /// renditions are stored and reproduced from then on. A kept week is sent again as it was
    /// sent the first time (same message, same Message-ID); the first send date stays.
    ///
    /// - Parameter password: the SMTP password (`$REGWATCH_SMTP_PASSWORD`); `nil` sends without AUTH.
    /// - Throws: ``DigestPublishingError`` (runtime) naming the server, the reason and the kept
    ///   file; the week then stays unsent.
    public func send(_ prepared: PreparedDigest, now: Date, password: String?) async throws -> DigestSendReport {
        guard let email = configuration.email, !email.to.isEmpty else {
            throw DigestPublishingError.noEmailSection(configuration.file?.path ?? "feeds.toml")
        }
        let message = try render(prepared, as: .email, now: now)
        let file = defaultFile(for: prepared.week, format: .email)
        try DigestFile.write(message, to: file)
        let recipients = email.to.map(DigestMIME.addressSpec)
        do {
            try await MailSender().send(
                message: Data(message.utf8), from: DigestMIME.addressSpec(email.from), to: recipients,
                server: email.smtpURL, username: nil, password: password)
        } catch {
            // A transfer error starts with the server's URL, which this line already names.
            throw DigestPublishingError(
                kind: .runtime,
                .notSent(prepared.week, server: email.smtpURL, reason: Wording.transferProblem(error), kept: file))
        }
        let before = try database.storedDigest(week: prepared.week)
        let kept = try keep(prepared, email: message, now: now, sentTo: recipients)
        let firstSend = before?.sentAt == nil || (prepared.rebuild && kept.version != before?.version)
        return DigestSendReport(recipients: recipients, file: file, firstSend: firstSend)
    }

    /// Freezes `prepared` as delivered: a fresh digest is recorded and its renditions kept
    /// (with `email`, the message sent, if there was one).
    @discardableResult
    public func keep(_ prepared: PreparedDigest, email: String?, now: Date, sentTo recipients: [String]?) throws
        -> StoredDigest
    {
        switch prepared.edition {
        case .kept(let stored):
            guard let recipients, stored.sentAt == nil else { return stored }
            return try database.freezeDigest(
                week: prepared.week,
                production: DigestProduction(
                    format: .email, itemIDs: stored.itemIDs, shownCount: stored.shownCount,
                    readingMinutes: stored.readingMinutes),
                renditions: stored.renditions!, at: now, sentTo: recipients)
        case .fresh(let digest):
            let renditions = DigestRenditions(
                markdown: digest.renderMarkdown(), text: digest.renderText(), json: digest.renderJSON(),
                email: email ?? (configuration.email == nil ? nil : try? render(digest, as: .email, now: now)))
            return try database.freezeDigest(
                week: prepared.week, production: digest.production(format: email == nil ? .markdown : .email),
                renditions: renditions, at: now, sentTo: recipients, rebuild: prepared.rebuild)
        }
    }

    func envelope(now: Date) throws -> DigestEnvelope {
        guard let email = configuration.email, !email.to.isEmpty else {
            throw DigestPublishingError.noEmailSection(configuration.file?.path ?? "feeds.toml")
        }
        return DigestEnvelope(from: email.from, to: email.to, date: now)
    }
}

/// A week's digest ready to render: built now, or kept as it was sent.
public struct PreparedDigest: Sendable {
    /// Where the content comes from.
    public enum Edition: Sendable {
        /// Built from the store now.
        case fresh(WeeklyDigest)
        /// The version sent or delivered, reproduced as it was.
        case kept(StoredDigest)
    }

    /// The week.
    public let week: ISOWeek
    /// The content.
    public let edition: Edition
    /// Whether recording it makes a new version of a week already sent (`--rebuild`).
    public let rebuild: Bool

    /// A digest built by the caller, to record as a fresh build of its week.
    public static func fresh(_ digest: WeeklyDigest) -> PreparedDigest {
        PreparedDigest(week: digest.week, edition: .fresh(digest), rebuild: false)
    }

    /// Whether it reproduces a version already sent or delivered.
    public var isKept: Bool {
        if case .kept = edition { return true }
        return false
    }

    /// Entries shown in full.
    public var shownCount: Int {
        switch edition {
        case .fresh(let digest): digest.shownEntries.count
        case .kept(let stored): stored.shownCount
        }
    }

    /// Estimated reading time.
    public var readingMinutes: Int {
        switch edition {
        case .fresh(let digest): digest.readingMinutes
        case .kept(let stored): stored.readingMinutes
        }
    }
}

extension WeeklyDigest {
    /// Every stored item the digest carries: shown in full or listed in "Pour aller plus loin",
    /// with the items of their stories. Those are not repeated by a later week's digest.
    public var carriedItemIDs: [Int64] {
        (shownEntries + more).flatMap(\.itemIDs)
    }

    /// What recording this digest as produced in `format` stores.
    func production(format: DigestFormat) -> DigestProduction {
        DigestProduction(
            format: format, itemIDs: carriedItemIDs, shownCount: shownEntries.count, readingMinutes: readingMinutes)
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
    /// One line: what failed, where, what to do, in both languages.
    public let wording: Wording

    init(kind: FailureKind, _ wording: Wording) {
        self.kind = kind
        self.wording = wording
    }

    /// The English line.
    public var description: String { wording.english }

    static func noEmailSection(_ file: String) -> DigestPublishingError {
        DigestPublishingError(kind: .badInput, .noEmailSection(file))
    }
}
