import Foundation

extension WeeklyDigest {
    /// Builds the digest of `input.week`: merges stories, ranks, fills the reading budget, lays out sections.
    ///
    /// Deterministic: the same input gives the same digest, whatever the order of the candidates.
    ///
    /// Ranking multiplies four factors:
    /// - topic relevance: `1 + 0.5 × min(best topic score, 6)`, plus a little for each extra topic;
    /// - the source's `weight` (official sources are configured above 1);
    /// - coverage: `1 + 0.4 × log2(number of sources that carried the story)`;
    /// - recency within the week: from 0.9 (Monday 00:00) to 1.0 (Sunday night).
    ///
    /// Ties go to the later date, then the title, then the row id.
    ///
    /// The best-ranked entries are shown in full, in rank order, until the next one would take
    /// the estimated reading time (the words of the text rendering without its URLs, headers
    /// and footer included, at `wordsPerMinute`) over `readingMinutes`; the rest goes to
    /// "Pour aller plus loin" (titles only, capped at `moreLimit`).
    public static func build(from input: DigestInput, settings: DigestSettings) -> WeeklyDigest {
        let topicOrder = Dictionary(
            settings.topics.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let start = input.week.start(in: settings.timeZone)
        let bounds = (start: start, length: input.week.end(in: settings.timeZone).timeIntervalSince(start))
        // Summaries are cut only for the entries the budget reaches (a few dozen of thousands):
        // ranking does not need them, and cutting means scanning the item's text.
        let pairs = mergeStories(input.candidates, settings: settings)
            .map { entry(for: $0, week: bounds, settings: settings, topicOrder: topicOrder) }
            .sorted { rankOrder($0.entry, $1.entry) }
        var ranked = pairs.map(\.entry)
        let summarySources = pairs.map(\.summarySource)
        func summary(_ index: Int) -> String {
            DigestText.excerpt(summarySources[index], maxWords: settings.summaryWords)
        }

        var digest = WeeklyDigest(
            week: input.week, settings: settings, highlights: [], sections: [], more: [], moreOmitted: 0,
            failingSources: input.failingSources.map {
                FailingSource(
                    url: DigestText.clean($0.url), error: DigestText.clean($0.error), name: DigestText.clean($0.name),
                    reason: $0.reason)
            }.sorted { (NaturalOrder.key($0.name), $0.url) < (NaturalOrder.key($1.name), $1.url) },
            counts: input.counts, keptCount: ranked.count, wordCount: 0)
        // Ages at the end of the week, or now for a week not over yet: a decision made today
        // has waited zero days, whatever the week being previewed.
        let weekEnd = input.week.end(in: settings.timeZone)
        digest.followUps = followUps(input.followUps, weekEnd: min(weekEnd, input.asOf ?? weekEnd))

        // First pass: estimate entry by entry; second pass: measure the real rendering and
        // give back entries until it fits (section headings and the "more" list move with them).
        var shownCount = digest.estimatedFit(&ranked, summary: summary)
        while true {
            digest.layOut(ranked, shown: shownCount)
            digest.wordCount = digest.measuredWords()
            if digest.wordCount <= settings.wordBudget || shownCount == 0 { break }
            shownCount -= 1
        }
        return digest
    }

    /// The "Suivi" entries: cleaned, aged at the end of the week, longest waiting first.
    static func followUps(_ items: [DigestFollowUp], weekEnd: Date) -> [FollowUp] {
        items.sorted { ($0.since, $0.id) < ($1.since, $1.id) }.map { item in
            FollowUp(
                id: item.id, title: DigestText.clean(item.title), link: item.link,
                source: DigestText.clean(item.source),
                owner: item.owner.map(DigestText.clean), note: item.note.map(DigestText.clean),
                ageDays: max(0, Int(weekEnd.timeIntervalSince(item.since) / 86_400)))
        }
    }

    /// The order of the digest: rank, then later date, then title, then row id.
    static func rankOrder(_ a: Entry, _ b: Entry) -> Bool {
        if a.rank != b.rank { return a.rank > b.rank }
        if a.date != b.date { return a.date > b.date }
        if a.title != b.title { return a.title < b.title }
        return a.id < b.id
    }

    /// One candidate per story: the best-weighted source's item, with the others' sources in `alsoIn`.
    static func mergeStories(_ candidates: [DigestCandidate], settings: DigestSettings) -> [DigestCandidate] {
        var byStory: [Int64: [DigestCandidate]] = [:]
        var alone: [DigestCandidate] = []
        for candidate in candidates {
            if let story = candidate.storyID {
                byStory[story, default: []].append(candidate)
            } else {
                alone.append(candidate)
            }
        }
        var merged = alone
        for (_, members) in byStory {
            let sorted = members.sorted {
                if $0.sourceWeight != $1.sourceWeight { return $0.sourceWeight > $1.sourceWeight }
                if $0.firstSeen != $1.firstSeen { return $0.firstSeen < $1.firstSeen }
                return $0.id < $1.id
            }
            var representative = sorted[0]
            var sources = Set(members.flatMap { [$0.source] + $0.alsoIn }.map(DigestText.clean))
            sources.remove(DigestText.clean(representative.source))
            representative.alsoIn = Array(sources)
            var bestScores: [TopicID: Double] = [:]
            for member in members {
                for score in member.topics { bestScores[score.topic] = max(bestScores[score.topic] ?? 0, score.score) }
            }
            representative.topics = bestScores.map { TopicScore($0.key, $0.value) }
            if (representative.summary ?? "").isEmpty && (representative.content ?? "").isEmpty {
                let other = sorted.first { !($0.summary ?? $0.content ?? "").isEmpty }
                representative.summary = other?.summary ?? other?.content
            }
            representative.firstSeen = members.map(\.firstSeen).min()!
            representative.mergedIDs = sorted.dropFirst().map(\.id).sorted()
            merged.append(representative)
        }
        return merged
    }

    /// The entry a candidate becomes (cleaned text, configured topics best first, its rank),
    /// and the text its summary will be cut from.
    static func entry(
        for candidate: DigestCandidate, week: (start: Date, length: TimeInterval), settings: DigestSettings,
        topicOrder order: [TopicID: Int]
    ) -> (entry: Entry, summarySource: String) {
        let topics = candidate.topics
            .filter { order[$0.topic] != nil }
            .sorted { $0.score != $1.score ? $0.score > $1.score : order[$0.topic]! < order[$1.topic]! }
        let strings = DigestStrings.for(settings.language)
        let title = DigestText.clean(candidate.title)
        let summarySource =
            [candidate.summary, candidate.content]
            .compactMap { $0 }
            .first { text in
                // A summary that only repeats the title says nothing more.
                text.contains { !$0.isWhitespace }
                    && (text.utf8.count > 2 * title.utf8.count + 16 || DigestText.clean(text) != title)
            } ?? ""
        let date = candidate.published ?? candidate.firstSeen

        let best = topics.first?.score ?? 0
        let relevance = 1 + 0.5 * min(best, 6) + 0.1 * Double(max(0, min(topics.count - 1, 2)))
        let alsoIn = Array(Set(candidate.alsoIn.map(DigestText.clean).filter { !$0.isEmpty }))
            .filter { $0 != DigestText.clean(candidate.source) }
            .sorted()
        let coverage = 1 + 0.4 * log2(Double(1 + alsoIn.count))
        let position = (date.timeIntervalSince(week.start) / week.length).clamped(to: 0...1)
        let rank = relevance * max(0.1, candidate.sourceWeight) * coverage * (0.9 + 0.1 * position)

        let entry = Entry(
            id: candidate.id, itemIDs: [candidate.id] + candidate.mergedIDs,
            shortID: DigestText.clean(candidate.shortID),
            title: title.isEmpty ? strings.untitled : title, link: candidate.link.map(DigestText.clean),
            source: DigestText.clean(candidate.source), alsoIn: alsoIn, date: date,
            topics: topics.map(\.topic),
            summary: "", rank: rank)
        return (entry, summarySource)
    }

    /// How many of `ranked` fit the budget, estimated entry by entry (fast, slightly pessimistic
    /// about headings; the measured pass corrects it).
    /// Fills in the summary of each entry it reaches, which are all the ones that can be shown.
    func estimatedFit(_ ranked: inout [Entry], summary: (Int) -> String) -> Int {
        var skeleton = self
        skeleton.layOut(ranked, shown: 0)
        // The frame: title, subtitle, footer, and at most every topic heading plus the two fixed ones.
        var used = WeeklyDigest.frameWords(of: skeleton)
        used += settings.topics.reduce(0) { $0 + DigestText.wordCount($1.label) }
        used += DigestText.wordCount(strings.highlights) + DigestText.wordCount(strings.others)
        used += DigestText.wordCount(strings.more) + DigestText.wordCount(strings.andMore(ranked.count))
        var titleWords = [Int?](repeating: nil, count: ranked.count)
        func words(ofTitle index: Int) -> Int {
            if let known = titleWords[index] { return known }
            let count = DigestText.wordCount(ranked[index].title)
            titleWords[index] = count
            return count
        }
        var shown = 0
        while shown < ranked.count {
            ranked[shown].summary = summary(shown)
            let cost = entryWords(ranked[shown])
            let moreWords = ((shown + 1)..<min(ranked.count, shown + 1 + settings.moreLimit)).reduce(0) {
                $0 + words(ofTitle: $1)
            }
            if used + cost + moreWords > settings.wordBudget { break }
            used += cost
            shown += 1
        }
        return shown
    }

    /// Words of the parts that do not depend on which entries are shown.
    static func frameWords(of digest: WeeklyDigest) -> Int {
        var lines = [
            digest.title, digest.subtitle, digest.strings.blindSpots, digest.countsLine, digest.strings.generatedBy,
        ]
        if digest.failingSources.isEmpty {
            lines.append(digest.strings.noBlindSpots)
        } else {
            lines.append(digest.strings.blindSpotsIntro)
            lines += digest.failingSources.map(digest.blindSpotLine(of:))
        }
        if digest.isEmpty { lines.append(digest.strings.nothingNew) }
        return lines.reduce(0) { $0 + DigestText.wordCount($1) }
    }

    /// The words an entry costs when shown in full.
    func entryWords(_ entry: Entry) -> Int {
        [entry.title, metaLine(of: entry), entry.summary, alsoInLine(of: entry) ?? ""]
            .reduce(0) { $0 + DigestText.wordCount($1) }
    }

    /// Shows the first `shown` of `ranked`: highlights, then topic sections in configured
    /// order, then "Autres"; lists the rest in "Pour aller plus loin".
    mutating func layOut(_ ranked: [Entry], shown: Int) {
        let visible = ranked.prefix(shown)
        highlights = Array(visible.prefix(settings.highlightCount))
        let rest = visible.dropFirst(settings.highlightCount)
        sections = settings.topics.compactMap { topic in
            let entries = rest.filter { $0.topics.first == topic.id }
            return entries.isEmpty ? nil : Section(topic: topic.id, entries: entries)
        }
        let others = rest.filter { $0.topics.isEmpty }
        if !others.isEmpty { sections.append(Section(topic: nil, entries: others)) }
        let hidden = ranked.dropFirst(shown)
        more = Array(hidden.prefix(settings.moreLimit))
        moreOmitted = hidden.count - more.count
    }

    /// The words of the digest as a person reads it: its text rendering without the URL lines.
    func measuredWords() -> Int {
        textLines(includeLinks: false).reduce(0) { $0 + DigestText.wordCount($1) }
    }
}

extension Comparable {
    fileprivate func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
