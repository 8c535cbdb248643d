import Foundation
import RegWatch
import XCTest

/// The built-in topics measured on a labelled set of French and English headlines and
/// summaries (Fixtures/tagging-eval.jsonl): positives, multi-topic items and hard negatives
/// (near-miss words: "via", "IAE", "qualité", "handicap", "hauts potentiels", "abondement"
/// of a PEE…). Each line is `{"title", "summary", "topics": [id], "kind"}`.
final class TaggingEvaluationTests: XCTestCase {
    private struct Example: Decodable {
        var title: String
        var summary: String?
        var topics: [TopicID]
        var kind: String
    }

    private func loadSet() throws -> [Example] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/tagging-eval", withExtension: "jsonl"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").map { try decoder.decode(Example.self, from: Data($0.utf8)) }
    }

    func testEvaluationSetIsLargeAndHardEnough() throws {
        let examples = try loadSet()
        XCTAssertGreaterThanOrEqual(examples.count, 150)
        let hard = examples.filter { $0.kind != "positive" }.count
        XCTAssertGreaterThanOrEqual(
            Double(hard), Double(examples.count) / 3, "a third hard negatives and multi-topic items")
        for example in examples {
            XCTAssertEqual(example.kind == "negative", example.topics.isEmpty, example.title)
            XCTAssertEqual(example.kind == "multi", example.topics.count > 1, example.title)
        }
        for topic in Topic.builtIn {
            XCTAssertGreaterThanOrEqual(
                examples.filter { $0.topics.contains(topic.id) }.count, 30, "\(topic.id) positives")
        }
    }

    func testBuiltInTopicsReachPrecisionAndRecallOfNinetyPercent() throws {
        let examples = try loadSet()
        let tagger = Tagger(topics: Topic.builtIn)
        var truePositives: [TopicID: Int] = [:]
        var falsePositives: [TopicID: [String]] = [:]
        var falseNegatives: [TopicID: [String]] = [:]
        for example in examples {
            let found = Set(tagger.tag(title: example.title, summary: example.summary, content: nil).map(\.id))
            let expected = Set(example.topics)
            for id in found.intersection(expected) { truePositives[id, default: 0] += 1 }
            for id in found.subtracting(expected) { falsePositives[id, default: []].append(example.title) }
            for id in expected.subtracting(found) { falseNegatives[id, default: []].append(example.title) }
        }
        var report = "tagging evaluation on \(examples.count) items\n"
        report += "topic            precision  recall  tp  fp  fn\n"
        for topic in Topic.builtIn {
            let tp = Double(truePositives[topic.id] ?? 0)
            let fp = Double(falsePositives[topic.id]?.count ?? 0)
            let fn = Double(falseNegatives[topic.id]?.count ?? 0)
            let precision = tp + fp == 0 ? 1 : tp / (tp + fp)
            let recall = tp + fn == 0 ? 1 : tp / (tp + fn)
            report += topic.id.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)
            report += String(format: "%9.3f  %6.3f  %2d  %2d  %2d\n", precision, recall, Int(tp), Int(fp), Int(fn))
            for title in falsePositives[topic.id] ?? [] { report += "  false positive: \(title)\n" }
            for title in falseNegatives[topic.id] ?? [] { report += "  false negative: \(title)\n" }
            XCTAssertGreaterThanOrEqual(precision, 0.9, "\(topic.id) precision")
            XCTAssertGreaterThanOrEqual(recall, 0.9, "\(topic.id) recall")
        }
        print(report)
    }
}
