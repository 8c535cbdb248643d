import Foundation
import RegWatch
import XCTest

/// The built-in topics measured on items written independently of the rules
/// (Fixtures/tagging/tuning.jsonl, tuning-a.jsonl … tuning-e.jsonl, tuning-g.jsonl, tuning-i.jsonl,
/// tuning-j.jsonl, tuning-m.jsonl, tuning-n.jsonl, tuning-l.jsonl and tuning-o/p/q/s.jsonl — fifteen
/// more independent authors' — and
/// test.jsonl): realistic French training news shaped like the shipped sources' items — official texts, training press, pedagogy blogs, job offers,
/// events, catalogue entries, some English — with hard negatives (topics mentioned in
/// passing, near-miss vocabulary). The rules may be tuned on the tuning set only; the test
/// set is held out, and its figures are what docs/topics.md reports.
/// Each line is `{"title", "summary", "topics": [id], "kind", "source"}`.
final class TaggingHeldOutEvaluationTests: XCTestCase {
    private struct Example: Decodable {
        var title: String
        var summary: String
        var topics: [TopicID]
        var kind: String
        var source: String
    }

    private func load(_ name: String) throws -> [Example] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/tagging/\(name)", withExtension: "jsonl"))
        let decoder = JSONDecoder()
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try decoder.decode(Example.self, from: Data($0.utf8))
        }
    }

    /// The tuning sets: the first author's items, set A of a second, set B of a third, set C of a
    /// fourth, sets D and E of a fifth and a sixth, set G of a seventh, sets I, J, M, N and L of
    /// five more independent authors, sets O, P, Q and S of four more (docs/topics.md, "Measured").
    private static let tuningSets = [
        "tuning", "tuning-a", "tuning-b", "tuning-c", "tuning-d", "tuning-e", "tuning-g", "tuning-i", "tuning-j",
        "tuning-m", "tuning-n", "tuning-l", "tuning-o", "tuning-p", "tuning-q", "tuning-s",
    ]

    /// What the rules may be tuned on: every tuning set.
    private func loadTuning() throws -> [Example] { try Self.tuningSets.flatMap(load) }

    private func evaluate(_ examples: [Example]) -> TaggingEvaluation {
        let tagger = Tagger(topics: Topic.builtIn)
        let cases = examples.enumerated().map { index, example in
            TaggingEvaluation.Case(
                id: String(index), title: example.title, expected: Set(example.topics),
                found: Set(tagger.tag(title: example.title, summary: example.summary, content: nil).map(\.id)))
        }
        return TaggingEvaluation(topics: Topic.builtIn.map(\.id), cases: cases)
    }

    private func report(_ name: String, _ evaluation: TaggingEvaluation, misses: Bool = true) -> String {
        var text = "\(name): \(evaluation.itemCount) items\ntopic            precision  recall     F1  tp  fp  fn\n"
        for score in evaluation.scores {
            text += score.topic.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)
            text += String(
                format: "%9.3f  %6.3f  %5.3f  %2d  %2d  %2d\n", score.precision ?? 1, score.recall ?? 1, score.f1 ?? 1,
                score.truePositives, score.falsePositives, score.falseNegatives)
        }
        for miss in evaluation.misses where misses {
            text += "  expected \(miss.expected.sorted()), found \(miss.found.sorted()): \(miss.title)\n"
        }
        return text
    }

    func testTheSetsAreLargeHardSplitAndShapedLikeTheSources() throws {
        let tuning = try loadTuning()
        let test = try load("test")
        let all = tuning + test
        XCTAssertGreaterThanOrEqual(all.count, 600)
        let negatives = all.filter { $0.topics.isEmpty }.count
        XCTAssertGreaterThanOrEqual(Double(negatives), 0.4 * Double(all.count), "40 % hard negatives")
        XCTAssertTrue(Set(tuning.map(\.title)).isDisjoint(with: test.map(\.title)), "no item in both sets")
        XCTAssertTrue(
            Set(all.map(\.source)).isSuperset(of: ["official", "press", "blog", "job", "event", "catalogue", "english"])
        )
        for (set, positives) in [(tuning, 80), (test, 30)] {
            XCTAssertGreaterThanOrEqual(Double(set.filter { $0.topics.isEmpty }.count), 0.4 * Double(set.count))
            for topic in Topic.builtIn {
                XCTAssertGreaterThanOrEqual(
                    set.filter { $0.topics.contains(topic.id) }.count, positives, "\(topic.id) positives")
            }
        }
        for example in all {
            XCTAssertEqual(example.kind == "negative", example.topics.isEmpty, example.title)
            XCTAssertEqual(example.kind == "multi", example.topics.count > 1, example.title)
        }
        let old = try String(
            contentsOf: XCTUnwrap(Bundle.module.url(forResource: "Fixtures/tagging-eval", withExtension: "jsonl")),
            encoding: .utf8)
        for example in all { XCTAssertFalse(old.contains(example.title), "written anew, not taken from the first set") }
    }

    /// What the rules were tuned on: printed for docs/topics.md, with a floor so that a change
    /// that degrades them shows.
    func testTuningSetFigures() throws {
        for name in Self.tuningSets { print(report(name, evaluate(try load(name)))) }
        let evaluation = evaluate(try loadTuning())
        print(report("tuning set", evaluation))
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(evaluation.minimumF1), 0.96)
    }

    /// The held-out figure, the target: a minimum per-topic F1 of 0.95 on the test set,
    /// scored only after the rules were frozen. docs/topics.md ("Measured") tells the history:
    /// a first test set scored 0.92, then became tuning data; this one was written afterwards.
    func testHeldOutTestSetMinimumF1() throws {
        let evaluation = evaluate(try load("test"))
        print(report("test set (held out)", evaluation))
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(evaluation.minimumF1), 0.95)
        for score in evaluation.scores {
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(score.precision), 0.95, "\(score.topic) precision")
        }
    }

    /// Two more independent authors' sets (F and H, 600 items, heldout-fh.jsonl), never read by
    /// whoever wrote the rules or trained the model: scored once per version by the lead
    /// (docs/topics.md, step 10). The target, a minimum F1 of 0.95, is not met here
    /// (IA 0.943 with the rules and model of ec8fc20); this asserts what was measured, less a
    /// margin of about one item per topic, so that a change that loses ground on unseen items
    /// fails. Only the figures are printed, never the items: tuning on this set would end its use.
    func testUnseenAuthorsSetsHoldTheirMeasuredFigures() throws {
        let evaluation = evaluate(try load("heldout-fh"))
        print(report("sets F and H (held out: do not tune on them)", evaluation, misses: false))
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(evaluation.minimumF1), 0.93)
        for score in evaluation.scores where score.topic == .cpf || score.topic == .qualiopi {
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(score.f1), 0.95, "\(score.topic) F1")
        }
    }

    /// A fifteenth author's set (K, 300 items, heldout-k.jsonl), written beside sets I to N
    /// and, like F and H, never read by whoever wrote rules or trained the model (docs/topics.md,
    /// step 13). Measured with the rules and model of 7b15bb4: minimum F1 0.927 (Qualiopi), the
    /// CPF 0.931; with the rules of sets O, P, Q, S and the model retrained on sixteen authors
    /// (step 16): 0.903, the CPF (recall 0.864). This asserts the latest figures less a margin of
    /// about one item per topic, and prints only the figures.
    func testASecondHeldOutAuthorHoldsItsMeasuredFigures() throws {
        let evaluation = evaluate(try load("heldout-k"))
        print(report("set K (held out: do not tune on it)", evaluation, misses: false))
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(evaluation.minimumF1), 0.88)
        for score in evaluation.scores {
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(score.precision), 0.93, "\(score.topic) precision")
        }
    }

    /// The test set of issue #16's target: sets R and T (594 items, heldout-rt.jsonl), two more
    /// authors who wrote blind from the guideline, in the genres of the shipped sources (official
    /// texts, training press, blogs, events, job offers, catalogues, newsletters), 46 % negatives.
    /// They were chosen as the test set before anyone scored them, and nobody who writes rules
    /// or trains the model reads them (docs/topics.md, step 14). Measured with the rules and
    /// model of 502a060: minimum F1 0.958 (the CPF; its precision 0.938); the same with the
    /// rules of sets O, P, Q, S and the model retrained on sixteen authors (step 16).
    func testTheTestSetOfTwoUnseenAuthorsMeetsTheTarget() throws {
        let evaluation = evaluate(try load("heldout-rt"))
        print(report("sets R and T (the test set, held out: do not tune on them)", evaluation, misses: false))
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(evaluation.minimumF1), 0.95)
        for score in evaluation.scores {
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(score.precision), 0.93, "\(score.topic) precision")
        }
    }

    /// Every held-out author together: F, H, K, R and T (1 494 items by five authors whose items
    /// no rule was tuned on). 0.954 with the rules and model of 502a060 and with the rules of
    /// sets O, P, Q, S on that model; 0.945 once the model was retrained on sixteen authors
    /// (docs/topics.md, step 16: K's CPF recall). This asserts the latest figure less a margin
    /// of about one item per topic, and prints only the figures.
    func testEveryUnseenAuthorTogetherHoldsItsMeasuredFigures() throws {
        let evaluation = evaluate(try ["heldout-fh", "heldout-k", "heldout-rt"].flatMap(load))
        print(report("sets F, H, K, R and T (held out: do not tune on them)", evaluation, misses: false))
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(evaluation.minimumF1), 0.94)
    }
}
