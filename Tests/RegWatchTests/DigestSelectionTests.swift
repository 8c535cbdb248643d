import Foundation
import RegWatch
import XCTest
import TestSupport

/// What goes into a digest, in which order and section, and how the reading budget holds.
final class DigestSelectionTests: XCTestCase {
    typealias F = DigestFixtures

    /// The words a person reads in the text rendering: every line but the URLs, counted here
    /// independently of the engine's own count.
    private func readWords(_ text: String) -> Int {
        text.split(separator: "\n")
            .filter { line in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                return
                    !(trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://") || trimmed.hasPrefix("• https://"))
            }
            .flatMap { $0.split(whereSeparator: \.isWhitespace) }
            .filter { $0.contains(where: { $0.isLetter || $0.isNumber }) }
            .count
    }

    func testAWeekOf500ItemsFitsTheFifteenMinuteBudget() {
        let candidates = F.bulk(500)
        let settings = DigestSettings(readingMinutes: 15, wordsPerMinute: 230, timeZone: F.paris)
        let digest = WeeklyDigest.build(from: DigestInput(week: F.week, candidates: candidates), settings: settings)
        let text = digest.renderText()

        XCTAssertLessThanOrEqual(readWords(text), 15 * 230)
        XCTAssertLessThanOrEqual(digest.readingMinutes, 15)
        XCTAssertTrue(text.contains("Lecture : \(digest.readingMinutes) min"))
        // The budget is used, not wasted: at least 13 of the 15 minutes are filled.
        XCTAssertGreaterThanOrEqual(readWords(text), 13 * 230)
        XCTAssertGreaterThanOrEqual(digest.shownEntries.count, 20)
        // Everything else is accounted for in "Pour aller plus loin", capped at 15 titles.
        XCTAssertEqual(digest.more.count, 15)
        XCTAssertEqual(digest.shownEntries.count + digest.more.count + digest.moreOmitted, 500)
        XCTAssertTrue(text.contains("Pour aller plus loin"))
        XCTAssertTrue(text.contains("… et \(digest.moreOmitted) autres"))
        XCTAssertEqual(digest.keptCount, 500)
    }

    func testTheBudgetHoldsForEveryBudgetFromOneToTwentyMinutes() {
        let candidates = F.bulk(120)
        for minutes in 1...20 {
            let settings = DigestSettings(readingMinutes: minutes, wordsPerMinute: 230, timeZone: F.paris)
            let digest = WeeklyDigest.build(from: DigestInput(week: F.week, candidates: candidates), settings: settings)
            XCTAssertLessThanOrEqual(readWords(digest.renderText()), minutes * 230, "budget \(minutes) min")
            XCTAssertLessThanOrEqual(digest.readingMinutes, minutes)
        }
    }

    func testShownEntriesAreTheBestRankedInOrder() {
        let digest = WeeklyDigest.build(
            from: DigestInput(week: F.week, candidates: F.bulk(300)), settings: F.settings(readingMinutes: 10))
        let shown = digest.shownEntries.map(\.rank).min()!
        let hidden = digest.more.map(\.rank).max()!
        XCTAssertGreaterThanOrEqual(shown, hidden)
        XCTAssertEqual(digest.highlights.map(\.rank), digest.highlights.map(\.rank).sorted(by: >))
        XCTAssertEqual(digest.more.map(\.rank), digest.more.map(\.rank).sorted(by: >))
    }

    func testRebuildingFromShuffledInputGivesTheSameDigest() {
        let candidates = F.bulk(200) + F.candidates
        let settings = F.settings(readingMinutes: 8)
        let reference = WeeklyDigest.build(from: DigestInput(week: F.week, candidates: candidates), settings: settings)
        var generator = SplitMix64(seed: 7)
        for _ in 0..<3 {
            let shuffled = candidates.shuffled(using: &generator)
            let digest = WeeklyDigest.build(from: DigestInput(week: F.week, candidates: shuffled), settings: settings)
            XCTAssertEqual(digest, reference)
            XCTAssertEqual(digest.renderMarkdown(), reference.renderMarkdown())
        }
    }

    func testRankingWeighsTopicSourceWeightCoverageAndRecency() {
        let base = DigestCandidate(
            id: 1, title: "Base", link: nil, source: "A", published: F.paris(3, 12), firstSeen: F.paris(3, 12),
            topics: [TopicScore(.cpf, 1.0)])
        func rank(_ change: (inout DigestCandidate) -> Void) -> Double {
            var candidate = base
            change(&candidate)
            let digest = WeeklyDigest.build(
                from: DigestInput(week: F.week, candidates: [candidate]), settings: F.settings(readingMinutes: 15))
            return digest.shownEntries[0].rank
        }
        let reference = rank { _ in }
        XCTAssertGreaterThan(rank { $0.topics = [TopicScore(.cpf, 3.0)] }, reference)
        XCTAssertLessThan(rank { $0.topics = [] }, reference)
        XCTAssertGreaterThan(rank { $0.sourceWeight = 2.0 }, reference)
        XCTAssertGreaterThan(rank { $0.alsoIn = ["B", "C"] }, reference)
        XCTAssertGreaterThan(rank { $0.published = F.paris(7, 20) }, reference)
        XCTAssertLessThan(rank { $0.published = F.paris(1, 1) }, reference)
        // An official source outweighs a late press echo of the same strength.
        XCTAssertGreaterThan(
            rank {
                $0.sourceWeight = 2.0; $0.published = F.paris(1, 1)
            }, rank { $0.published = F.paris(7, 23) })
    }

    func testTheFixtureWeekIsLaidOutInHighlightsTopicSectionsAndOthers() {
        let digest = WeeklyDigest.build(from: F.input, settings: F.settings(readingMinutes: 15))
        XCTAssertEqual(digest.highlights.map(\.shortID), ["a1f3c9", "b27e01", "c93d22", "f6a0d3"])
        // Topic sections follow the configured order (CPF, Qualiopi, IA, Neurodiversité), then "Autres".
        XCTAssertEqual(digest.sections.map { $0.topic?.rawValue ?? "autres" }, ["cpf", "qualiopi", "ia", "autres"])
        // An item tagged Qualiopi 1.6 and CPF 1.1 appears once, in its best topic.
        let ids = digest.shownEntries.map(\.shortID)
        XCTAssertEqual(ids.filter { $0 == "2c9f33" }.count, 1)
        XCTAssertEqual(digest.sections[1].entries.map(\.shortID), ["2c9f33"])
        XCTAssertEqual(digest.sections[1].entries[0].topics, [.qualiopi, .cpf])
        XCTAssertEqual(Set(ids).count, 12)
        XCTAssertTrue(digest.more.isEmpty)
    }

    func testAStoryCarriedByThreeFeedsAppearsOnceFromTheBestWeightedSource() {
        let story: [DigestCandidate] = [
            DigestCandidate(
                id: 1, title: "CPF : le décret est paru", link: "https://press.example/cpf",
                source: "Le Quotidien de la formation",
                published: F.paris(2, 10), firstSeen: F.paris(2, 10), topics: [TopicScore(.cpf, 2)], storyID: 9),
            DigestCandidate(
                id: 2, title: "Décret relatif au compte personnel de formation", link: "https://legifrance.example/d",
                source: "Légifrance", sourceWeight: 2, published: F.paris(2, 8), firstSeen: F.paris(2, 11),
                topics: [TopicScore(.cpf, 1.5), TopicScore(.qualiopi, 1.0)], storyID: 9),
            DigestCandidate(
                id: 3, title: "Le décret CPF publié", link: "https://inffo.example/d", source: "Centre Inffo",
                sourceWeight: 1.2, published: F.paris(2, 12), firstSeen: F.paris(2, 12), storyID: 9),
            DigestCandidate(
                id: 4, title: "Autre chose", link: nil, source: "Dares", published: F.paris(3, 12),
                firstSeen: F.paris(3, 12)),
        ]
        let digest = WeeklyDigest.build(
            from: DigestInput(week: F.week, candidates: story), settings: F.settings(readingMinutes: 15))
        XCTAssertEqual(digest.shownEntries.count, 2)
        let entry = digest.shownEntries.first { $0.id == 2 }!
        XCTAssertEqual(entry.source, "Légifrance")
        XCTAssertEqual(entry.itemIDs, [2, 1, 3], "the digest carries every item of the story")
        XCTAssertEqual(entry.alsoIn, ["Centre Inffo", "Le Quotidien de la formation"])
        XCTAssertEqual(entry.topics, [.cpf, .qualiopi])
        XCTAssertEqual(digest.keptCount, 2)
        XCTAssertTrue(digest.renderText().contains("Aussi relayé par Centre Inffo, Le Quotidien de la formation."))
    }

    func testAnEmptyWeekIsAShortNothingNewDigestNotAnError() {
        let digest = WeeklyDigest.build(
            from: DigestInput(week: F.week, candidates: [], failingSources: F.failingSources, counts: F.counts),
            settings: F.settings(readingMinutes: 15))
        XCTAssertTrue(digest.isEmpty)
        XCTAssertEqual(digest.readingMinutes, 1)
        let markdown = digest.renderMarkdown()
        XCTAssertTrue(markdown.contains("Rien de nouveau cette semaine."))
        XCTAssertTrue(markdown.contains("Angles morts"), "blind spots matter most in a quiet week")
        XCTAssertFalse(markdown.contains("À retenir"))
        XCTAssertLessThan(markdown.split(separator: "\n").count, 20)
        XCTAssertTrue(digest.emailSubject.hasSuffix(" : rien de nouveau cette semaine"), digest.emailSubject)
        let english = WeeklyDigest.build(from: DigestInput(week: F.week, candidates: []), settings: F.settings(.en))
        XCTAssertTrue(english.renderText().contains("Nothing new this week."))
    }

    func testSummariesAreCutAtASentenceBoundaryWithinSixtyWords() {
        let digest = WeeklyDigest.build(from: F.input, settings: F.settings(readingMinutes: 15))
        let decree = digest.shownEntries.first { $0.shortID == "a1f3c9" }!
        XCTAssertLessThanOrEqual(decree.summary.split(separator: " ").count, 61)
        // Four sentences would make 62 words: three are kept.
        XCTAssertTrue(decree.summary.hasSuffix("les dotations non utilisées. (…)"), decree.summary)
        // "M. Dupont" does not end a sentence.
        let ai = digest.shownEntries.first { $0.shortID == "c93d22" }!
        XCTAssertTrue(ai.summary.contains("M. Dupont, juriste"), ai.summary)
        // Content stands in for a missing summary.
        let webinar = digest.shownEntries.first { $0.shortID == "5f2c0f" }!
        XCTAssertEqual(webinar.summary, "Quinze minutes chaque lundi pour partager les alertes réglementaires.")
    }

    func testASingleOverlongSentenceIsCutAtAWordWithAnEllipsis() {
        let long = (1...90).map { "mot\($0)" }.joined(separator: " ") + "."
        let candidate = DigestCandidate(
            id: 1, title: "Long", link: nil, source: "S", published: F.paris(2, 9), firstSeen: F.paris(2, 9),
            summary: long)
        let digest = WeeklyDigest.build(
            from: DigestInput(week: F.week, candidates: [candidate]), settings: F.settings(readingMinutes: 15))
        XCTAssertEqual(digest.shownEntries[0].summary, (1...60).map { "mot\($0)" }.joined(separator: " ") + "…")
    }

    func testAFullArticleInContentIsCutToItsFirstSentences() {
        let article = String(
            repeating: "Le texte précise les modalités de prise en charge des formations certifiantes. ", count: 2_000)
        let candidate = DigestCandidate(
            id: 1, title: "Article", link: nil, source: "S", published: F.paris(2, 9), firstSeen: F.paris(2, 9),
            summary: "   ", content: article)
        let digest = WeeklyDigest.build(
            from: DigestInput(week: F.week, candidates: [candidate]), settings: F.settings(readingMinutes: 15))
        let summary = digest.shownEntries[0].summary
        XCTAssertEqual(summary.split(separator: " ").count, 5 * 12 + 1, summary)  // five 12-word sentences and "(…)"
        XCTAssertTrue(summary.hasSuffix("certifiantes. (…)"), summary)
    }

    func testDatesReadInFrenchOrEnglishInTheConfiguredZone() {
        let french = WeeklyDigest.build(from: F.input, settings: F.settings(readingMinutes: 15)).renderText()
        XCTAssertTrue(french.contains("Légifrance · mardi 2 décembre · CPF · réf. a1f3c9"), french)
        XCTAssertTrue(french.contains("Du lundi 1er au dimanche 7 décembre 2025"))
        // An old item first seen this week shows its own date, with the year when it differs.
        XCTAssertTrue(french.contains("jeudi 20 novembre"))
        let english = WeeklyDigest.build(from: F.input, settings: F.settings(.en, readingMinutes: 15)).renderText()
        XCTAssertTrue(english.contains("Légifrance · Tuesday 2 December · CPF · ref. a1f3c9"), english)
        XCTAssertTrue(english.contains("From Monday 1 to Sunday 7 December 2025"), english)
    }

    func testEnglishDigestHasNoFrenchFixedString() {
        let english = WeeklyDigest.build(from: F.input, settings: F.settings(.en, readingMinutes: 2))
        let rendered = english.renderText() + english.renderMarkdown() + english.emailSubject
        for french in [
            "À retenir", "Autres", "Pour aller plus loin", "Angles morts", "Lecture", "aussi relayé",
            "réf.", "flux interrogés", "Semaine", "Préparé", " et 1 autre", "Rien de nouveau",
        ] {
            XCTAssertFalse(rendered.contains(french), "English digest contains “\(french)”")
        }
        for english in ["Key points", "Further reading", "Blind spots", "Reading time: ", "Week 2025-W49"] {
            XCTAssertTrue(rendered.contains(english), english)
        }
    }
}
