import XCTest

@testable import RegWatch

/// The tagger's shortcuts give what the plain way gives: they are mechanics, never behaviour.
final class TaggerMechanicsTests: XCTestCase {
    /// Strings that stress the Latin-1 shortcut of `Tagger.lowercased(_:contains:)`: capitals,
    /// accents, ligatures, signs that are no letters, decomposed accents, other scripts.
    private let awkward = [
        "", " ", "a", "A", "é", "É", "e\u{301}", "E\u{301}", "œ", "Œ", "ÿ", "Ÿ", "ß", "SS", "×", "÷", "µ", "ª",
        "Æ", "æ", "Ø", "ø", "Þ", "þ", "İ", "i", "ı", "K", "\u{212A}", "Å", "\u{212B}", "\u{00AD}", "\u{00A0}",
        "non-conformité", "NON-CONFORMITÉ", "Non-Conformite\u{301}", "conformité", "CŒUR", "cœur", "cœurs",
        "Référentiel national qualité", "RNQ", "référentiel", "qualité", "QUALITÉ", "Straße", "STRASSE",
        "indicateur 23", "Indicateur", "23", "audit de surveillance", "audit", "Ĳ", "ĳ", "ﬁ", "fi", "Ω", "ω",
        "\r\n", "\n", "a\r\nb", "\r", "日本", "本",
    ]

    func testLowercasedContainsAgreesWithFoundationOnAwkwardStrings() {
        for text in awkward {
            for part in awkward {
                XCTAssertEqual(
                    Tagger.lowercased(text, contains: part), text.lowercased().contains(part.lowercased()),
                    "\"\(text)\" contains \"\(part)\"")
            }
        }
    }

    /// The pairs `assemble` compares: a piece of a topic's machinery and its related words.
    func testLowercasedContainsAgreesWithFoundationOnTheBuiltInRules() {
        var compared = 0
        for topic in Topic.builtIn {
            let pieces = topic.machinery + topic.terms.prefix(20)
            for text in pieces {
                for part in topic.related + topic.machinery.prefix(20) {
                    compared += 1
                    XCTAssertEqual(
                        Tagger.lowercased(text, contains: part), text.lowercased().contains(part.lowercased()),
                        "\(topic.id): \"\(text)\" contains \"\(part)\"")
                }
            }
        }
        XCTAssertGreaterThan(compared, 1_000)
    }

    /// A look-up compares a word's first 16 bytes in its slot and the rest in the pool: words
    /// that share their first 16 bytes, or differ only past them, stay distinct.
    func testWordsSharingTheirFirstSixteenBytesStayDistinct() {
        let long = Topic(id: "long", label: "Long", terms: ["anticonstitutionnellement"])
        let prefix = Topic(id: "prefix", label: "Prefix", terms: ["anticonstitutionnel"])
        let sixteen = Topic(id: "sixteen", label: "Sixteen", terms: ["abcdefghijklmnop"])
        let tagger = Tagger(topics: [long, prefix, sixteen], model: nil)
        func ids(_ title: String) -> [TopicID] { tagger.tag(title: title, summary: nil, content: nil).map(\.id) }
        XCTAssertEqual(ids("Agir anticonstitutionnellement"), ["long"])
        XCTAssertEqual(ids("Un texte anticonstitutionnel"), ["prefix"])
        XCTAssertEqual(ids("Agir anticonstitutionnellemenx"), [])
        XCTAssertEqual(ids("Le mot abcdefghijklmnop"), ["sixteen"])
        XCTAssertEqual(ids("Le mot abcdefghijklmnopq"), [])
        XCTAssertEqual(ids("Le mot abcdefghijklmno"), [])
    }

    /// Candidates are weighed by topic, place and length: entries of several topics found at
    /// the same places, longest and shortest, explain in the same order as one topic alone.
    func testEvidenceOfOverlappingEntriesOfSeveralTopicsKeepsItsOrder() {
        let first = Topic(
            id: "first", label: "First", terms: ["compte", "compte personnel", "compte personnel de formation"],
            threshold: 0.1)
        let second = Topic(
            id: "second", label: "Second", terms: ["personnel", "formation", "compte personnel"], threshold: 0.1)
        let both = Tagger(topics: [first, second], model: nil)
        let summary = "Le compte personnel de formation, un compte personnel, la formation du personnel."
        let together = both.explain(title: nil, summary: summary, content: nil)
        for topic in [first, second] {
            let alone = Tagger(topics: [topic], model: nil).explain(title: nil, summary: summary, content: nil)
            XCTAssertEqual(together.first { $0.match.id == topic.id }?.evidence, alone.first?.evidence, "\(topic.id)")
        }
        XCTAssertEqual(
            together.first { $0.match.id == "first" }?.match.matches,
            ["compte personnel de formation", "compte personnel"])
        XCTAssertEqual(
            together.first { $0.match.id == "second" }?.match.matches, ["compte personnel", "formation", "personnel"])
    }

    /// A poll tags a feed's items with one workspace and without evidence: each item gets what
    /// tagging it alone, with the evidence, gives (nothing of one item carries to the next).
    func testOneWorkspaceForAFeedsItemsTagsEachItemAsAlone() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/tagging-eval", withExtension: "jsonl"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let items: [(title: String, summary: String?)] = try lines.map { line in
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return (try XCTUnwrap(object["title"] as? String), object["summary"] as? String)
        }
        XCTAssertGreaterThan(items.count, 100)
        let tagger = Tagger(topics: Topic.builtIn)
        var workspace = Tagger.Workspace()
        var tagged = 0
        for (index, item) in items.enumerated() {
            // Short items, and long contents made of the next items' summaries, in turn.
            let content =
                index % 2 == 0
                ? nil
                : items[index..<min(index + 12, items.count)].compactMap(\.summary)
                    .joined(separator: " ")
            let alone = tagger.explain(title: item.title, summary: item.summary, content: content).map(\.match)
            let shared = tagger.tag(title: item.title, summary: item.summary, content: content, workspace: &workspace)
            XCTAssertEqual(shared, alone, "item \(index): \(item.title)")
            if !alone.isEmpty { tagged += 1 }
        }
        XCTAssertGreaterThan(tagged, items.count / 3)
    }
}
