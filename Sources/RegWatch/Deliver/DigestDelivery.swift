import Foundation
import Transfer

/// What one target's delivery did.
public struct DeliveryResult: Sendable, Equatable {
    /// How it went.
    public enum Status: String, Sendable, Equatable {
        /// Delivered by this run.
        case delivered
        /// Delivered by an earlier run (nothing posted again).
        case alreadyDelivered = "already delivered"
        /// This run failed; the next run tries again.
        case failed
    }

    /// The target.
    public var target: DeliveryTarget
    /// How it went.
    public var status: Status
    /// When it was delivered (now, or by the earlier run).
    public var deliveredAt: Date?
    /// One line: what went wrong and what to do, for a failure (English: JSON and the store keep it).
    public var error: String? { failure?.english }
    /// The same line in both languages.
    public var failure: Wording?
    /// What the service calls the delivery (a Matrix event id, a Notion page id), if anything.
    public var remoteID: String?
}

/// What `watchctl digest --deliver` did: the Markdown written to the digests folder, then each target.
public struct DeliveryRun: Sendable, Equatable {
    /// The week.
    public var week: ISOWeek
    /// The Markdown digest in `[digest] output_dir`.
    public var file: URL
    /// One result per target, in configuration order.
    public var results: [DeliveryResult]

    /// Whether every target is delivered (now or before).
    public var succeeded: Bool { results.allSatisfy { $0.status != .failed } }
}

/// A delivery that failed: one line naming the target, what went wrong and what to do.
struct DeliveryError: Error, Sendable {
    let line: Wording
}

extension DigestPublisher {
    /// Delivers `prepared` where the team reads it: writes the Markdown to `[digest] output_dir`
    /// (recorded as produced), then delivers to every configured target, or only to the one
    /// named `name`. A target that already has the week gets nothing again unless `force`; one
    /// failing target never stops the others, and the next run tries it again. A week delivered
    /// anywhere is kept as delivered (see ``keep(_:email:now:sentTo:)``).
    ///
    /// - Throws: ``DigestPublishingError`` (bad input) for an unknown target name; store and disk errors.
    public func deliver(
        _ prepared: PreparedDigest, now: Date, to name: String? = nil, force: Bool = false, password: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> DeliveryRun {
        let configured = configuration.deliveryTargets
        var targets = configured
        if let name {
            guard let target = configured.first(where: { $0.name == name }) else {
                let names = configured.map(\.name)
                throw DigestPublishingError(
                    kind: .badInput, .noTarget(name, file: configuration.file?.path ?? "feeds.toml", configured: names))
            }
            targets = [target]
        }
        let file = defaultFile(for: prepared.week, format: .markdown)
        let markdown = try render(prepared, as: .markdown, now: now)
        try write(prepared, format: .markdown, text: markdown, to: file, now: now)
        let content = try DeliveryContent(
            week: prepared.week, markdown: markdown, text: try render(prepared, as: .text, now: now),
            json: try render(prepared, as: .json, now: now), topics: configuration.topics,
            version: (try database.storedDigest(week: prepared.week))?.version ?? 1)

        var results: [DeliveryResult] = []
        for target in targets {
            if !force, let earlier = try database.delivery(week: prepared.week, target: target.name) {
                results.append(DeliveryResult(target: target, status: .alreadyDelivered, deliveredAt: earlier))
                continue
            }
            do {
                var remoteID: String?
                if case .email = target.endpoint {
                    _ = try await send(prepared, now: now, password: password)
                } else {
                    let client = DeliveryClient(target: target, environment: environment, force: force, now: now)
                    remoteID = try await client.deliver(content)
                    try keep(prepared, email: nil, now: now, sentTo: nil)
                }
                try database.recordDelivery(
                    week: prepared.week, target: target.name, kind: target.type, at: now, failure: nil,
                    remoteID: remoteID)
                results.append(DeliveryResult(target: target, status: .delivered, deliveredAt: now, remoteID: remoteID))
            } catch let error as DeliveryError {
                try database.recordDelivery(
                    week: prepared.week, target: target.name, kind: target.type, at: now, failure: error.line)
                results.append(DeliveryResult(target: target, status: .failed, failure: error.line))
            } catch let error as any ActionableError where error.kind == .runtime {
                let line = Wording.of(error).cleaned.about(target.name)
                try database.recordDelivery(
                    week: prepared.week, target: target.name, kind: target.type, at: now, failure: line)
                results.append(DeliveryResult(target: target, status: .failed, failure: line))
            }
        }
        return DeliveryRun(week: prepared.week, file: file, results: results)
    }
}

/// The digest of one week in every form the targets take.
struct DeliveryContent: Sendable {
    var week: ISOWeek
    var markdown: String
    var text: String
    var json: String
    var document: DigestDocument
    var topics: [Topic]
    /// The version delivered: a rebuilt week is a new message, not a retry of the old one.
    var version: Int

    init(week: ISOWeek, markdown: String, text: String, json: String, topics: [Topic], version: Int) throws {
        self.week = week
        self.markdown = markdown
        self.text = text
        self.json = json
        self.document = try DigestDocument(json: json)
        self.topics = topics
        self.version = version
    }
}
