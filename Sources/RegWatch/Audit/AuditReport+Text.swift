import FeedParser
import Foundation

// The words and date forms every rendering of the audit report shares (French: the record is
// for a French certification audit).
extension AuditReport {
    static let title = "Registre de veille réglementaire et légale"
    static let subtitle = "Qualiopi, indicateur 23 : sources, analyses, actions, responsables, dates"

    /// "du 01/12/2025 au 31/12/2025" or "jusqu’au 31/12/2025": the same date form as the rest.
    var periodLine: String {
        if let first = period.firstDay {
            return "Période : du \(Self.frenchDay(first)) au \(Self.frenchDay(period.lastDay))"
        }
        return "Période : depuis le début de la veille jusqu’au \(Self.frenchDay(period.lastDay))"
    }

    /// `01/12/2025` for `2025-12-01`.
    static func frenchDay(_ isoDay: String) -> String {
        let parts = isoDay.split(separator: "-")
        guard parts.count == 3 else { return isoDay }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }

    /// "Établi le 05/01/2026 à 10:00 (Europe/Paris) par regwatch, à partir de …".
    var generatedLine: String {
        "Établi le \(day(generatedAt)) à \(time(generatedAt)) (\(timeZone.identifier)) par regwatch, "
            + "à partir de la base \(database)."
    }

    /// The counts sentence.
    var summaryLine: String {
        let sent = digests.filter { $0.sentAt != nil }.count
        return "\(plural(watchedSources.count, "source suivie", "sources suivies")), "
            + "\(plural(digests.count, "synthèse produite", "synthèses produites")) (\(sent) envoyée\(sent > 1 ? "s" : "")), "
            + "\(plural(actedItems.count, "article traité", "articles traités")), "
            + "\(plural(decisionCount, "décision enregistrée", "décisions enregistrées"))."
    }

    func plural(_ count: Int, _ one: String, _ many: String) -> String {
        "\(count) \(count > 1 ? many : one)"
    }

    /// `08/12/2025`.
    func day(_ date: Date) -> String {
        guard let clock = WallClock(date, in: timeZone) else { return format(date, "dd/MM/yyyy") }
        return clock.dayText
    }
    /// `09:30`.
    func time(_ date: Date) -> String {
        guard let clock = WallClock(date, in: timeZone) else { return format(date, "HH:mm") }
        return clock.timeText
    }
    /// `08/12/2025 09:30`.
    func dateTime(_ date: Date) -> String {
        guard let clock = WallClock(date, in: timeZone) else { return format(date, "dd/MM/yyyy HH:mm") }
        return clock.dayText + " " + clock.timeText
    }

    /// A date's day and minute on the report's clock, computed rather than formatted: a
    /// `DateFormatter` per date opened an ICU formatter each time, a quarter of a year's record
    /// (3 000 decisions, 700 failing runs). The same characters as the `DateFormatter` of
    /// ``format(_:_:)`` (`AuditDateTests` compares them), for the years 1600–9999; outside
    /// them (ICU's calendar turns Julian before 1582) the formatter answers.
    private struct WallClock {
        var year, month, dayOfMonth, hour, minute: Int

        init?(_ date: Date, in timeZone: TimeZone) {
            // The nearest millisecond, computed as Foundation hands a date to ICU (from the
            // reference date, + 0.5 ms), then seconds floored as ICU reads its fields.
            let milliseconds = floor((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5)
            guard milliseconds.magnitude < 2.6e14 else { return nil }
            let local = Int(floor(milliseconds / 1000)) + timeZone.secondsFromGMT(for: date)
            let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
            let secondOfDay = local - days * 86_400
            (year, month, dayOfMonth) = GregorianDays.date(days: days)
            guard (1600...9999).contains(year) else { return nil }
            (hour, minute) = (secondOfDay / 3600, secondOfDay / 60 % 60)
        }

        /// `08/12/2025`.
        var dayText: String { "\(Self.two(dayOfMonth))/\(Self.two(month))/\(year)" }
        /// `09:30`.
        var timeText: String { "\(Self.two(hour)):\(Self.two(minute))" }

        private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
    }

    private func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    /// "décembre 2025" for `2025-12`.
    static func monthLabel(_ key: String) -> String {
        let parts = key.split(separator: "-")
        guard parts.count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return key }
        return "\(DigestStrings.french.months[month - 1]) \(parts[0])"
    }

    /// "CPF, Qualiopi" from the configured labels, "—" when none.
    func topicLabels(_ topics: [TopicID], labels: [TopicID: String]) -> String {
        topics.isEmpty ? "—" : topics.map { labels[$0] ?? $0.rawValue }.joined(separator: ", ")
    }

    /// "suivie depuis le 01/12/2025 (30 jours)" or "jamais relevée".
    func followedLine(_ source: Source) -> String {
        guard let since = source.followedSince else { return "jamais relevée" }
        return "depuis le \(day(since)) (\(plural(source.followedDays, "jour", "jours")))"
    }

    /// "aucune" or "du 03/12/2025 08:00 au 03/12/2025 14:00, 4 tentatives (HTTP 503) ; …".
    func failingLine(_ source: Source) -> String {
        guard !source.failingPeriods.isEmpty else { return "aucune" }
        return source.failingPeriods.map { run in
            let span =
                run.end.map { "du \(dateTime(run.start)) au \(dateTime($0))" }
                ?? "depuis le \(dateTime(run.start)) (non rétablie)"
            let reason = DigestStrings.french.failure(FailureReason(error: run.lastError, status: nil, gone: false))
            return "\(span), \(plural(run.attempts, "tentative", "tentatives")) : \(reason)"
        }.joined(separator: " ; ")
    }

    /// "Configurée" notes: removed from feeds.toml, gone (410).
    func statusNote(_ source: Source) -> String? {
        var notes: [String] = []
        if !source.configured { notes.append("retirée de feeds.toml") }
        if source.disabled { notes.append("désactivée dans feeds.toml") }
        if source.gone { notes.append("supprimée par l’éditeur (410), plus relevée") }
        return notes.isEmpty ? nil : notes.joined(separator: ", ")
    }

    /// "à exploiter — Claire — « Revoir nos CGV »".
    func changeLine(_ change: FollowChange) -> String {
        var parts = [dateTime(change.time), change.state.label]
        if let owner = change.owner { parts.append(owner) }
        if let note = change.note { parts.append("« \(DigestText.clean(note)) »") }
        return parts.joined(separator: " — ")
    }

    /// "Légifrance · publié le 02/12/2025 · relevé le 02/12/2025 · réf. 101".
    func itemMeta(_ item: ActedItem, labels: [TopicID: String]) -> String {
        var parts = [item.source]
        if let published = item.published { parts.append("publié le \(day(published))") }
        parts.append("relevé le \(day(item.firstSeen))")
        if !item.topics.isEmpty { parts.append(topicLabels(item.topics, labels: labels)) }
        parts.append("réf. \(item.id)")
        return parts.joined(separator: " · ")
    }

    /// "état au 31/12/2025 : exploité (Claire)".
    func stateLine(_ item: ActedItem) -> String {
        "État en fin de période : \(item.state.label)" + (item.owner.map { " (responsable : \($0))" } ?? "")
    }

    /// "2025-W49", "2025-W49, version 2 (refaite)", "… remplacée le 10/12/2025 09:00".
    func weekLine(_ digest: Digest) -> String {
        var line = digest.week
        if digest.version > 1 { line += ", version \(digest.version) (refaite)" }
        if let superseded = digest.supersededAt { line += ", remplacée le \(dateTime(superseded))" }
        return line
    }

    /// "Sources désactivées dans feeds.toml, jamais relevées : A, B.", `nil` when none.
    var disabledLine: String? {
        let names = disabledSources.map(\.name)
        guard !names.isEmpty else { return nil }
        return "Désactivées dans feeds.toml, jamais relevées (hors veille) : \(names.joined(separator: ", "))."
    }

    /// "livrée" or "échec (nouvelle tentative au prochain envoi)".
    func deliveryOutcome(_ delivery: Delivery) -> String {
        delivery.delivered ? "livrée" : "échec (nouvelle tentative au prochain envoi)"
    }

    /// "envoyée le 08/12/2025 07:00 à a@x, b@y" or "non envoyée".
    func sentLine(_ digest: Digest) -> String {
        guard let sent = digest.sentAt else { return "non envoyée" }
        return dateTime(sent)
    }
}
