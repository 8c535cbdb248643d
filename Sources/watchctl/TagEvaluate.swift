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
        let french = language == .french
        if evaluation.itemCount == 0 {
            output.append(
                french
                    ? "aucune correction enregistrée : corrigez des articles avec watchctl retag ID --add SUJET --remove SUJET\n"
                    : "no corrections recorded: correct items with watchctl retag ID --add TOPIC --remove TOPIC\n"
            )
            return
        }
        output.append(
            french
                ? "règles évaluées sur \(evaluation.itemCount) articles corrigés par l'équipe\n"
                : "rules scored on \(evaluation.itemCount) items corrected by the team\n")
        var rows = [
            french
                ? ["SUJET", "PRÉCISION", "RAPPEL", "F1", "VP", "FP", "FN"]
                : ["TOPIC", "PRECISION", "RECALL", "F1", "TP", "FP", "FN"]
        ]
        for score in evaluation.scores {
            rows.append([
                score.topic.rawValue, text(score.precision), text(score.recall), text(score.f1),
                String(score.truePositives), String(score.falsePositives), String(score.falseNegatives),
            ])
        }
        output.append(Output.table(rows))
        output.append("\n")
        guard !evaluation.misses.isEmpty else {
            output.append(
                french
                    ? "les règles sont d'accord avec chaque correction\n"
                    : "the rules agree with every correction\n")
            return
        }
        output.append(
            french ? "articles que les règles classent mal :\n" : "items the rules get wrong:\n")
        for miss in evaluation.misses {
            let extra = miss.found.subtracting(miss.expected).sorted().map { "+\($0)" }
            let missing = miss.expected.subtracting(miss.found).sorted().map { "-\($0)" }
            output.append(
                "  \(french ? "réf." : "item") \(miss.id)  \((extra + missing).joined(separator: " "))  \(Output.clip(miss.title, 80))\n"
            )
        }
        output.append(
            french
                ? "(+ sujet donné à tort par les règles, - sujet qu'elles manquent)\n"
                : "(+ topic the rules give wrongly, - topic they miss)\n")
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
