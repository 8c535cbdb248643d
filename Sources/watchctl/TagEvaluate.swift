import Foundation
import RegWatch

/// The output of `watchctl tag --evaluate`: per-topic figures, then the items the rules get wrong.
///
/// JSON (keys fixed, whatever the language):
/// `{"items": N, "topics": [{"id", "precision", "recall", "f1", "true_positives",
/// "false_positives", "false_negatives"}], "wrong": [{"id", "title", "expected", "found"}]}`;
/// a figure with nothing to measure (no item of the topic on either side) is `null`.
enum EvaluationOutput {
    static func writeJSON(_ evaluation: TaggingEvaluation, to output: inout OutputBuffer) {
        output.append("{\"items\":\(evaluation.itemCount),\"topics\":[")
        for (index, score) in evaluation.scores.enumerated() {
            if index > 0 { output.append(",") }
            output.append("{\"id\":")
            TagJSON.writeString(score.topic.rawValue, to: &output)
            output.append(",\"precision\":\(number(score.precision)),\"recall\":\(number(score.recall))")
            output.append(",\"f1\":\(number(score.f1)),\"true_positives\":\(score.truePositives)")
            output.append(
                ",\"false_positives\":\(score.falsePositives),\"false_negatives\":\(score.falseNegatives)}")
        }
        output.append("],\"wrong\":[")
        for (index, miss) in evaluation.misses.enumerated() {
            if index > 0 { output.append(",") }
            output.append("{\"id\":\(Int64(miss.id).map(String.init) ?? "null"),\"title\":")
            TagJSON.writeString(miss.title, to: &output)
            output.append(",\"expected\":")
            writeTopics(miss.expected, to: &output)
            output.append(",\"found\":")
            writeTopics(miss.found, to: &output)
            output.append("}")
        }
        output.append("]}\n")
    }

    static func writeText(
        _ evaluation: TaggingEvaluation, language: HumanLanguage, to output: inout OutputBuffer
    ) {
        let say = Messages(language: language)
        if evaluation.itemCount == 0 {
            output.append(say.noCorrections + "\n")
            return
        }
        output.append(say.rulesScored(on: evaluation.itemCount) + "\n")
        var rows = [say.evaluationHeader]
        for score in evaluation.scores {
            rows.append([
                score.topic.rawValue, text(score.precision), text(score.recall), text(score.f1),
                String(score.truePositives), String(score.falsePositives), String(score.falseNegatives),
            ])
        }
        output.append(Output.table(rows))
        output.append("\n")
        guard !evaluation.misses.isEmpty else {
            output.append(say.rulesAgree + "\n")
            return
        }
        output.append(say.missesHeader + "\n")
        for miss in evaluation.misses {
            let extra = miss.found.subtracting(miss.expected).sorted().map { "+\($0)" }
            let missing = miss.expected.subtracting(miss.found).sorted().map { "-\($0)" }
            output.append(
                "  \(say.missReference(miss.id))  \((extra + missing).joined(separator: " "))  \(Output.clip(miss.title, 80))\n"
            )
        }
        output.append(say.missesLegend + "\n")
    }

    private static func writeTopics(_ topics: Set<TopicID>, to output: inout OutputBuffer) {
        output.append("[")
        for (index, topic) in topics.sorted().enumerated() {
            if index > 0 { output.append(",") }
            TagJSON.writeString(topic.rawValue, to: &output)
        }
        output.append("]")
    }

    private static func number(_ value: Double?) -> String {
        value.map { String(format: "%.3f", $0) } ?? "null"
    }

    private static func text(_ value: Double?) -> String {
        value.map { String(format: "%.3f", $0) } ?? "—"
    }
}
