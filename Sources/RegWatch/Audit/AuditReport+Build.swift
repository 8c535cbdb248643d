import Foundation

extension AuditReport {
    /// The report of `input`: sources named and ordered as feeds.toml says, their failing
    /// periods, the digests and deliveries, the acted-on items under their best topic then
    /// their month. Plain values in, plain values out: no store, no clock.
    public static func build(from input: AuditInput, configuration: Configuration, generatedAt: Date) -> AuditReport {
        let zone = configuration.digest.timeZone
        let period = input.period
        let end = period.end
        let configured = Dictionary(
            configuration.feeds.map { ($0.url.normalized, $0) }, uniquingKeysWith: { a, _ in a })
        let topicOrder = configuration.topics.map(\.id)
        func ordered(_ topics: some Sequence<TopicID>) -> [TopicID] {
            let set = Set(topics)
            return topicOrder.filter(set.contains) + set.subtracting(topicOrder).sorted()
        }
        let runsByFeed = Dictionary(grouping: input.failingRuns, by: \.feedID)

        // Sources: every feed the store knows, plus configured feeds never fetched.
        var sources: [Source] = []
        var seenKeys = Set<String>()
        for feed in input.feeds {
            seenKeys.insert(feed.urlKey)
            let entry = configured[feed.urlKey]
            var topics = entry?.topics ?? []
            if topics.isEmpty { topics = feed.topics.compactMap(TopicID.init(rawValue:)) }
            let runs = (runsByFeed[feed.id] ?? []).map { run in
                FailingPeriod(
                    start: run.start, end: run.end, attempts: run.attempts,
                    lastError: DigestText.clean(run.lastError ?? run.lastStatus.map { "HTTP \($0)" } ?? "failed"))
            }
            sources.append(
                Source(
                    url: feed.url, name: entry?.displayName ?? feed.title ?? feed.url, topics: ordered(topics),
                    configured: entry != nil,
                    gone: feed.gone, disabled: !(entry?.enabled ?? true), followedSince: feed.firstSeen,
                    followedDays: max(0, Int(end.timeIntervalSince(feed.firstSeen) / 86_400)), fetches: feed.fetches,
                    failedFetches: feed.failedFetches, failingPeriods: runs))
        }
        for entry in configuration.feeds where !seenKeys.contains(entry.url.normalized) {
            sources.append(
                Source(
                    url: entry.url.rawValue, name: entry.displayName ?? entry.url.rawValue,
                    topics: ordered(entry.topics),
                    configured: true, gone: false, disabled: !entry.enabled, followedSince: nil, followedDays: 0,
                    fetches: 0,
                    failedFetches: 0, failingPeriods: []))
        }
        sources.sort { $0.name != $1.name ? NaturalOrder.precedes($0.name, $1.name) : $0.url < $1.url }

        // Items acted on: a decision in the period; history up to its end; under their best
        // topic (as tagged), in the month of their first decision in the period.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var byTopic: [TopicID?: [String: [(first: Date, item: ActedItem)]]] = [:]
        for followed in input.actedItems {
            let history = followed.history.filter { $0.time < end }
            guard let first = history.first(where: { period.contains($0.time) }) else { continue }
            let entry = configured[FeedURL(followed.feedURL)?.normalized ?? followed.feedURL]
            let item = ActedItem(
                id: followed.itemID, title: DigestText.clean(followed.title ?? ""), link: followed.link,
                source: entry?.displayName ?? followed.source, topics: followed.topics, published: followed.published,
                firstSeen: followed.firstSeen, history: history)
            let parts = calendar.dateComponents([.year, .month], from: first.time)
            let month = String(format: "%04d-%02d", parts.year!, parts.month!)
            byTopic[followed.topics.first, default: [:]][month, default: []].append((first.time, item))
        }
        let groupOrder: [TopicID?] =
            topicOrder.map { $0 }
            + byTopic.keys.compactMap { $0 }.filter { !topicOrder.contains($0) }.sorted().map { $0 } + [nil]
        let groups = groupOrder.compactMap { topic -> TopicGroup? in
            guard let months = byTopic[topic] else { return nil }
            return TopicGroup(
                topic: topic, label: topic.map { configuration.topic($0)?.label ?? $0.rawValue } ?? "Autres",
                months: months.keys.sorted().map { key in
                    Month(
                        month: key,
                        items: months[key]!.sorted { ($0.first, $0.item.id) < ($1.first, $1.item.id) }.map(\.item))
                })
        }
        var report = AuditReport(
            period: period, generatedAt: generatedAt, timeZone: zone, database: input.database, sources: sources,
            digests: input.digests, groups: groups)
        report.deliveries = input.deliveries
        return report
    }
}

extension AppDatabase {
    /// The audit record of `period`: ``auditInput(period:)`` built into a report with
    /// ``AuditReport/build(from:configuration:generatedAt:)``.
    public func auditReport(period: AuditPeriod, configuration: Configuration, generatedAt: Date) throws -> AuditReport
    {
        AuditReport.build(from: try auditInput(period: period), configuration: configuration, generatedAt: generatedAt)
    }
}
