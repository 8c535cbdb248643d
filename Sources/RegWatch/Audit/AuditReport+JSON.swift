import FeedParser
import Foundation

extension AuditReport {
    /// The record as one JSON document (keys sorted, dates in UTC ISO 8601), for a team that
    /// keeps its own archive or builds its own view:
    /// `{"period": {"from", "to"}, "generated_at", "time_zone", "sources": [{"url", "name", "topics",
    /// "configured", "gone", "followed_since", "followed_days", "fetches", "failed_fetches",
    /// "failing_periods": [{"start", "end", "attempts", "last_error"}]}], "digests": [{"week",
    /// "built_at", "sent_at", "sent_to", "items"}], "topics": [{"topic", "label", "months":
    /// [{"month", "items": [{"id", "title", "link", "source", "topics", "published", "first_seen",
    /// "state", "owner", "history": [{"time", "state", "owner", "note"}]}]}]}]}`.
    public func renderJSON() -> String {
        func iso(_ date: Date?) -> Any {
            guard let date else { return NSNull() }
            if let text = UTCDateText.internetDateTime(date) { return text }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            formatter.timeZone = TimeZone(identifier: "UTC")
            return formatter.string(from: date)
        }
        func orNull(_ value: String?) -> Any { value ?? NSNull() }
        let document: [String: Any] = [
            "period": ["from": orNull(period.firstDay), "to": period.lastDay],
            "generated_at": iso(generatedAt),
            "time_zone": timeZone.identifier,
            "sources": sources.map { source -> [String: Any] in
                [
                    "url": source.url, "name": source.name, "topics": source.topics.map(\.rawValue),
                    "configured": source.configured, "gone": source.gone, "enabled": !source.disabled,
                    "followed_since": iso(source.followedSince),
                    "followed_days": source.followedDays, "fetches": source.fetches,
                    "failed_fetches": source.failedFetches,
                    "failing_periods": source.failingPeriods.map { run -> [String: Any] in
                        [
                            "start": iso(run.start), "end": iso(run.end), "attempts": run.attempts,
                            "last_error": run.lastError,
                        ]
                    },
                ]
            },
            "digests": digests.map { digest -> [String: Any] in
                [
                    "week": digest.week, "built_at": iso(digest.builtAt), "sent_at": iso(digest.sentAt),
                    "sent_to": orNull(digest.sentTo), "items": digest.items, "version": digest.version,
                    "superseded_at": iso(digest.supersededAt),
                ]
            },
            "deliveries": deliveries.map { delivery -> [String: Any] in
                [
                    "week": delivery.week, "target": delivery.target, "type": delivery.type, "time": iso(delivery.time),
                    "status": delivery.delivered ? "delivered" : "failed",
                ]
            },
            "topics": groups.map { group -> [String: Any] in
                [
                    "topic": orNull(group.topic?.rawValue), "label": group.label,
                    "months": group.months.map { month -> [String: Any] in
                        [
                            "month": month.month,
                            "items": month.items.map { item -> [String: Any] in
                                [
                                    "id": item.id, "title": item.title, "link": orNull(item.link),
                                    "source": item.source,
                                    "topics": item.topics.map(\.rawValue), "published": iso(item.published),
                                    "first_seen": iso(item.firstSeen), "state": item.state.rawValue,
                                    "owner": orNull(item.owner),
                                    "history": item.history.map { change -> [String: Any] in
                                        [
                                            "time": iso(change.time), "state": change.state.rawValue,
                                            "owner": orNull(change.owner), "note": orNull(change.note),
                                        ]
                                    },
                                ]
                            },
                        ]
                    },
                ]
            },
        ]
        // Only strings, numbers, booleans, arrays, dictionaries and NSNull: serialisation cannot fail.
        let data = try! JSONSerialization.data(
            withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
