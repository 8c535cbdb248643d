import Foundation

/// A place the weekly digest is delivered to, from feeds.toml.
///
/// Today the `[email]` section is the one target, named `email`; each `(week, target)`
/// delivery is recorded, so running the delivery again posts nothing twice.
public struct DeliveryTarget: Sendable, Equatable {
    /// What kind of target it is.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// The `[email]` section: the email digest over SMTP.
        case email
    }

    /// The name `watchctl digest --deliver --to NAME` takes.
    public var name: String
    /// What kind of target it is.
    public var kind: Kind

    /// Creates a target.
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

extension Configuration {
    /// Every delivery target feeds.toml configures, in file order.
    public var deliveryTargets: [DeliveryTarget] {
        email.map { _ in [DeliveryTarget(name: "email", kind: .email)] } ?? []
    }
}

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
    /// One line: what went wrong and what to do, for a failure.
    public var error: String?
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

extension DigestPublisher {
    /// Delivers `prepared` where the team reads it: writes the Markdown to `[digest] output_dir`
    /// (recorded as produced), then delivers to every configured target, or only to the one
    /// named `name`. A target that already has the week gets nothing again unless `force`; one
    /// failing target never stops the others, and the next run tries it again.
    ///
    /// - Throws: ``DigestPublishingError`` (bad input) for an unknown target name; store and disk errors.
    public func deliver(_ prepared: PreparedDigest, now: Date, to name: String? = nil, force: Bool = false, password: String?)
        async throws -> DeliveryRun
    {
        let configured = configuration.deliveryTargets
        var targets = configured
        if let name {
            guard let target = configured.first(where: { $0.name == name }) else {
                let names = configured.map(\.name)
                throw DigestPublishingError(
                    kind: .badInput,
                    description: "no delivery target named \"\(name)\" in \(configuration.file?.path ?? "feeds.toml"); "
                        + (names.isEmpty
                            ? "none is configured (add an [email] section, see docs/configuration.md)"
                            : "configured: \(names.joined(separator: ", "))"))
            }
            targets = [target]
        }
        let file = defaultFile(for: prepared.week, format: .markdown)
        try write(prepared, format: .markdown, text: try render(prepared, as: .markdown, now: now), to: file, now: now)

        var results: [DeliveryResult] = []
        for target in targets {
            if !force, let earlier = try database.delivery(week: prepared.week, target: target.name) {
                results.append(DeliveryResult(target: target, status: .alreadyDelivered, deliveredAt: earlier))
                continue
            }
            do {
                switch target.kind {
                case .email:
                    _ = try await send(prepared, now: now, password: password)
                }
                try database.recordDelivery(
                    week: prepared.week, target: target.name, kind: target.kind.rawValue, at: now, error: nil)
                results.append(DeliveryResult(target: target, status: .delivered, deliveredAt: now))
            } catch let error as any ActionableError where error.kind == .runtime {
                let line = DigestText.clean(error.description)
                try database.recordDelivery(
                    week: prepared.week, target: target.name, kind: target.kind.rawValue, at: now, error: line)
                results.append(DeliveryResult(target: target, status: .failed, error: line))
            }
        }
        return DeliveryRun(week: prepared.week, file: file, results: results)
    }
}
