// train-topic-model: retrains the learned layer of the built-in topics (RegWatch's TopicModel)
// from every labelled set, prints the leave-one-author-out cross-validation, and regenerates
// Sources/RegWatch/Tag/TopicModelWeights.swift. Run from the package root:
//
//     swift run -c release train-topic-model [--skip-cross-validation]
//
// docs/topics.md ("The learned layer") explains the model and the figures.
import Foundation
import RegWatch

struct LabelledLine: Decodable {
    var title: String
    var summary: String
    var topics: [TopicID]
}

/// The labelled sets and their authors (docs/topics.md, "Measured").
let sets: [(file: String, author: String)] = [
    ("Tests/RegWatchTests/Fixtures/tagging-eval.jsonl", "first"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning.jsonl", "first"),
    ("Tests/RegWatchTests/Fixtures/tagging/test.jsonl", "first"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-a.jsonl", "A"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-b.jsonl", "B"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-c.jsonl", "C"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-d.jsonl", "D"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-e.jsonl", "E"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-g.jsonl", "G"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-i.jsonl", "I"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-j.jsonl", "J"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-m.jsonl", "M"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-n.jsonl", "N"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-l.jsonl", "L"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-o.jsonl", "O"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-p.jsonl", "P"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-q.jsonl", "Q"),
    ("Tests/RegWatchTests/Fixtures/tagging/tuning-s.jsonl", "S"),
]
let output = "Sources/RegWatch/Tag/TopicModelWeights.swift"

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("train-topic-model: \(message)\n".utf8))
    exit(1)
}

let arguments = Set(CommandLine.arguments.dropFirst())
if let unknown = arguments.subtracting(["--skip-cross-validation"]).first {
    FileHandle.standardError.write(Data("train-topic-model: unknown argument \(unknown)\n".utf8))
    exit(2)
}
// EXCLUDE_AUTHORS=O,P: train and cross-validate without those authors (a before/after table).
let excluded = Set(
    (ProcessInfo.processInfo.environment["EXCLUDE_AUTHORS"] ?? "").split(separator: ",").map(String.init))
var examples: [TopicModelTraining.Example] = []
let decoder = JSONDecoder()
for (file, author) in sets where !excluded.contains(author) {
    // The held-out sets (heldout-*.jsonl) measure what no rule nor model was fitted on.
    guard !file.contains("/heldout-") else { fail("\(file) is held out: it is never trained on") }
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
        fail("cannot read \(file): run from the package root")
    }
    for (number, line) in text.split(separator: "\n").enumerated() {
        guard let item = try? decoder.decode(LabelledLine.self, from: Data(line.utf8)) else {
            fail("\(file):\(number + 1) is not a labelled item")
        }
        examples.append(.init(title: item.title, summary: item.summary, topics: Set(item.topics), author: author))
    }
}
print("\(examples.count) labelled items, authors \(Set(examples.map(\.author)).sorted().joined(separator: ", "))")

var options = TopicModelTraining.Options()
let environment = ProcessInfo.processInfo.environment
if let v = environment["L2"].flatMap(Double.init) { options.l2 = v }
if let v = environment["MIN_ITEMS"].flatMap(Int.init) { options.minimumItems = v }
if let v = environment["MIN_AUTHORS"].flatMap(Int.init) { options.minimumAuthors = v }
if let v = environment["MIN_LENGTH"].flatMap(Int.init) { options.minimumWordLength = v }
if environment["STOP_WORDS"] == "0" { options.stopWords = [] }
if let v = environment["BETA"].flatMap(Double.init) { options.criterion = .model(beta: v) }
if let v = environment["DECISION_BETA"].flatMap(Double.init) { options.criterion = .decision(beta: v) }
if environment["ALONE"] == "0" { options.aloneThresholds = [] }
if let v = environment["ALONE_BETA"].flatMap(Double.init) { options.aloneBeta = v }
if environment["BIGRAMS"] == "1" { options.bigrams = true }
if let v = environment["VETO"] { options.vetoThresholds = v.split(separator: ",").compactMap { Double($0) } }
if let v = environment["NEGATIVE_WEIGHT"].flatMap(Double.init) { options.negativeWeight = v }
let crossValidating = !arguments.contains("--skip-cross-validation")
let outcome = TopicModelTraining.run(examples, rules: Topic.builtIn, options: options, crossValidating: crossValidating)
if crossValidating {
    print(TopicModelTraining.report(outcome.folds))
    print()
    print(TopicModelTraining.summary(outcome.folds))
    // POOL=O,P,Q,S: those authors' held-out items together, rules alone and with the model.
    let pool = Set((environment["POOL"] ?? "").split(separator: ",").map(String.init))
    if !pool.isEmpty {
        print()
        print(TopicModelTraining.summary(outcome.folds.filter { pool.contains($0.author) }))
    }
}
if options.bigrams || !options.vetoThresholds.isEmpty {
    print("the tagger reads no pairs of words and has no veto: weights not written")
    exit(0)
}
guard outcome.disagreements.isEmpty else {
    fail(
        "the tagger and the trainer disagree on \(outcome.disagreements.count) items (first: "
            + "\(outcome.disagreements[0])): TopicModelTraining.readOpenings no longer reads the tagger's decision")
}
let model = outcome.model
let source = """
    // Generated by `swift run -c release train-topic-model` (Sources/train-topic-model) from the
    // labelled sets of Tests/RegWatchTests/Fixtures (\(examples.count) items). Do not edit: retrain (docs/topics.md).

    extension TopicModel {
        static let builtInTable = #\"\"\"
    \(model.table.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
            \"\"\"#
    }

    """
do {
    try source.write(toFile: output, atomically: true, encoding: .utf8)
} catch {
    fail("cannot write \(output): \(error)")
}
for topic in model.topics {
    print(
        "\(topic.topic): threshold \(topic.threshold), alone \(topic.alone.map { String($0) } ?? "never"), "
            + "\(topic.words.count) words, \(topic.titleWords.count) title words"
    )
}
print("wrote \(output)")
