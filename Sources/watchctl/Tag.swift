import ArgumentParser
import FeedParser
import Foundation
import RegWatch

/// `watchctl tag [TEXT] [--json]`: which topics a text gets, and which words decided it.
struct Tag: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Tag a text (or JSON lines on stdin) with the topics and explain the matches.",
        discussion: """
            With TEXT, tags it as an item title. Without TEXT, reads one JSON object per line on \
            stdin, {"id": …, "title": …, "summary": …} ("content" optional), and tags each.

            With --evaluate, scores the current rules (feeds.toml's [[topics]] included) against \
            the team's corrections (watchctl retag ID --add/--remove): precision, recall and F1 per \
            topic, then the corrected items the rules get wrong.

            Examples:
              watchctl tag "L’IA générative arrive dans les CFA"
              watchctl tag "Dotation employeur : ce qui change pour le CPF" --json
              jq -c '.items[] | {id, title, summary}' parsed.json | watchctl tag --json
              watchctl tag --evaluate

            docs/topics.md explains the rules and the scores.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The text to tag, as a title. Omit it to read JSON lines on stdin.")
    var text: String?

    @Flag(help: "Print one JSON document: an object for TEXT, an array for stdin input.")
    var json = false

    @Flag(help: "Score the rules against the team's corrections (watchctl retag ID --add/--remove).")
    var evaluate = false

    func validate() throws {
        if evaluate, text != nil { throw ValidationError(Messages.current.evaluateTakesNoText) }
    }

    func run() throws {
        if evaluate {
            let configuration = try global.loadConfiguration()
            let database = try global.openDatabase(configuration)
            let evaluation = try Retagger(configuration: configuration, database: database).evaluateCorrections()
            var output = OutputBuffer()
            if json {
                EvaluationOutput.writeJSON(evaluation, to: &output)
            } else {
                EvaluationOutput.writeText(evaluation, language: HumanLanguage.current, to: &output)
            }
            output.flush()
            return
        }
        let tagger = Tagger(topics: try topics())
        var output = OutputBuffer()
        if let text {
            let topics = tagger.explain(title: text, summary: nil, content: nil)
            if json {
                TagJSON.writeResult(id: .null, topics: topics, to: &output)
                output.append("\n")
            } else {
                Self.explain(topics, tagger: tagger, to: &output)
            }
        } else {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            // Each chunk renders its own lines in parallel; the main thread only writes them.
            let json = self.json
            let chunks = try TagInput.tagLines(of: input, with: tagger) { index, id, topics, chunk in
                if json {
                    if index > 0 { chunk.append(",") }
                    chunk.append("\n")
                    TagJSON.writeResult(id: id, topics: topics, to: &chunk)
                } else {
                    chunk.append(id.displayText)
                    chunk.append("\t")
                    if topics.isEmpty { chunk.append("-") }
                    chunk.append(
                        topics.map { explanation in
                            let match = explanation.match
                            var line =
                                "\(match.id) \(Self.format(match.score)) [\(match.matches.joined(separator: ", "))]"
                            // The learned layer gave the topic alone: say so, with its words.
                            if let model = explanation.model, model.decided {
                                line +=
                                    " model \(Self.format(model.probability)) [\(Self.positiveWords(model).joined(separator: ", "))]"
                            }
                            return line
                        }.joined(separator: "; "))
                    chunk.append("\n")
                }
            }
            if json { output.append("[") }
            output.flush()
            var any = false
            for chunk in chunks where !chunk.bytes.isEmpty {
                any = true
                var chunk = chunk
                chunk.flush()
            }
            if json { output.append(any ? "\n]\n" : "]\n") }
        }
        output.flush()
    }

    /// The topics to tag with: those of feeds.toml (built-ins overridden and extended by its
    /// `[[topics]]`), or the built-in ones when no config file is found. A config that is named
    /// (`--config`, `$REGWATCH_CONFIG`) but missing or invalid is an error, not a silent fallback.
    func topics() throws -> [Topic] {
        guard let file = try? global.configurationFile() else { return Topic.builtIn }
        return try Configuration.load(from: file).topics
    }

    /// Human output: one line per topic with its score and the words behind it.
    static func explain(_ topics: [TopicExplanation], tagger: Tagger, to output: inout OutputBuffer) {
        guard !topics.isEmpty else {
            output.append(Messages.current.noTopic + "\n")
            return
        }
        let labels = Dictionary(tagger.topics.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for explanation in topics {
            let match = explanation.match
            let name = "\(match.id) (\(labels[match.id]?.label ?? match.id.rawValue))"
            // The learned layer gave the topic where the rules did not reach their threshold.
            if let model = explanation.model, model.decided {
                output.append(
                    Messages.current.topicByModel(
                        name, probability: format(model.probability), threshold: format(model.threshold),
                        words: Self.positiveWords(model).map { "«\($0)»" }.joined(separator: ", "))
                        + "\n")
                continue
            }
            let threshold = labels[match.id].map { format($0.threshold) } ?? "1.00"
            output.append(
                Messages.current.topicScore(
                    "\(match.id) (\(labels[match.id]?.label ?? match.id.rawValue))", score: format(match.score),
                    threshold: threshold, matched: match.matches.map { "«\($0)»" }.joined(separator: ", ")) + "\n"
            )
        }
    }

    /// The words that pushed for the topic, each once (a word may count in the item and in
    /// the title).
    static func positiveWords(_ model: ModelEvidence) -> [String] {
        var words: [String] = []
        for word in model.words where word.weight > 0 && !words.contains(word.word) { words.append(word.word) }
        return words
    }

    static func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}

/// One input line of `watchctl tag` on stdin.
struct TagInput: Sendable {
    /// The caller's id, echoed back as it came: a string, a number or null.
    enum ID: Sendable, Decodable {
        case string(String)
        case number(String)
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let text = try? container.decode(String.self) {
                self = .string(text)
            } else if let integer = try? container.decode(Int64.self) {
                self = .number(String(integer))
            } else {
                self = .number(String(try container.decode(Double.self)))
            }
        }

        var displayText: String {
            switch self {
            case .string(let text): return text
            case .number(let text): return text
            case .null: return "-"
            }
        }
    }

    private struct Line: Decodable {
        var id: ID?
        var title: String?
        var summary: String?
        var content: String?
    }

    var id: ID
    var title: String?
    var summary: String?
    var content: String?

    /// Decodes the JSON lines of `data` (blank lines skipped), tags each and renders it with
    /// `render` (its index among all lines, its id, its topics, the chunk's output), in chunks
    /// spread over the machine's cores. A bad line is an error naming its number.
    /// - Returns: the rendered chunks, in input order.
    static func tagLines(
        of data: Data, with tagger: Tagger,
        render: @escaping @Sendable (Int, ID, [TopicExplanation], inout OutputBuffer) -> Void
    ) throws -> [OutputBuffer] {
        let bytes = [UInt8](data)
        let lines = lineRanges(bytes)
        let chunkCount = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, lines.count / 1_000))
        let slots = ChunkSlots<Result<OutputBuffer, TagInputError>>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let first = lines.count * chunk / chunkCount
            let chunkLines = lines[first..<lines.count * (chunk + 1) / chunkCount]
            slots.set(
                chunk,
                decode(chunkLines, of: bytes).map { inputs in
                    var output = OutputBuffer()
                    for (offset, input) in inputs.enumerated() {
                        let topics = tagger.explain(title: input.title, summary: input.summary, content: input.content)
                        render(first + offset, input.id, topics, &output)
                    }
                    return output
                })
        }
        return try slots.values.map { try $0!.get() }
    }

    /// The byte ranges and 1-based numbers of the non-blank lines.
    static func lineRanges(_ bytes: [UInt8]) -> [(range: Range<Int>, number: Int)] {
        var lines: [(range: Range<Int>, number: Int)] = []
        lines.reserveCapacity(bytes.count / 256)
        var number = 0
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            while start < buffer.count {
                var end = buffer.count
                if let found = memchr(base + start, 0x0A, buffer.count - start) {
                    end = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                }
                number += 1
                // Blank unless a byte other than space, tab or CR: usually the first says so.
                var index = start
                while index < end, buffer[index] == 0x20 || buffer[index] == 0x09 || buffer[index] == 0x0D {
                    index += 1
                }
                if index < end { lines.append((start..<end, number)) }
                start = end + 1
            }
        }
        return lines
    }

    /// Decodes a chunk of lines with ``TagLineParser``; when it meets something it does not
    /// expect, in one JSONDecoder call (as one array: the per-call cost dominates small
    /// objects), and when that fails, line by line to name the bad one.
    static func decode(_ lines: ArraySlice<(range: Range<Int>, number: Int)>, of bytes: [UInt8]) -> Result<
        [TagInput], TagInputError
    > {
        let fast: [TagInput]? = bytes.withUnsafeBufferPointer { buffer in
            var inputs: [TagInput] = []
            inputs.reserveCapacity(lines.count)
            for line in lines {
                guard let input = TagLineParser.parse(buffer, line.range) else { return nil }
                inputs.append(input)
            }
            return inputs
        }
        if let fast { return .success(fast) }
        let decoder = JSONDecoder()
        var joined: [UInt8] = [UInt8(ascii: "[")]
        joined.reserveCapacity(lines.reduce(2) { $0 + $1.range.count + 1 })
        for (index, line) in lines.enumerated() {
            if index > 0 { joined.append(UInt8(ascii: ",")) }
            joined.append(contentsOf: bytes[line.range])
        }
        joined.append(UInt8(ascii: "]"))
        if let decoded = try? decoder.decode([Line].self, from: Data(joined)), decoded.count == lines.count {
            return .success(
                decoded.map { TagInput(id: $0.id ?? .null, title: $0.title, summary: $0.summary, content: $0.content) })
        }
        var inputs: [TagInput] = []
        for line in lines {
            guard let decoded = try? decoder.decode(Line.self, from: Data(bytes[line.range])) else {
                return .failure(TagInputError(line: line.number))
            }
            inputs.append(
                TagInput(
                    id: decoded.id ?? .null, title: decoded.title, summary: decoded.summary, content: decoded.content))
        }
        return .success(inputs)
    }
}

/// One slot per chunk of `concurrentPerform`, each written by exactly one chunk.
///
/// `@unchecked Sendable` is sound here: chunks write disjoint indices of a buffer allocated
/// before and read only after `concurrentPerform` returns (which waits for every iteration),
/// so no element is ever accessed by two threads at once.
private final class ChunkSlots<Value>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    func set(_ index: Int, _ value: Value) { buffer[index] = value }

    var values: [Value?] { Array(buffer) }
}

/// A stdin line of `watchctl tag` that is not a JSON object.
struct TagInputError: ActionableError, Equatable {
    var line: Int
    var kind: FailureKind { .badInput }
    var wording: Wording { .tagInput(line: line) }
    var description: String { wording.english }
}

/// The `tag --json` shape of docs/cli.md: `{"id", "topics": [{"id", "score", "matches",
/// "evidence": [{"match", "field", "sentence", "kind", "context", "weight"}]}]}`, written by
/// hand because 100 000 results must print in well under a second.
enum TagJSON {
    static func writeResult(id: TagInput.ID, topics: [TopicExplanation], to output: inout OutputBuffer) {
        output.append("{\"id\":")
        switch id {
        case .string(let text): writeString(text, to: &output)
        case .number(let text): output.append(text)
        case .null: output.append("null")
        }
        output.append(",\"topics\":[")
        for (index, explanation) in topics.enumerated() {
            let topic = explanation.match
            if index > 0 { output.append(",") }
            output.append("{\"id\":")
            writeString(topic.id.rawValue, to: &output)
            output.append(",\"score\":")
            writeDecimal(topic.score, to: &output)
            output.append(",\"matches\":[")
            for (termIndex, term) in topic.matches.enumerated() {
                if termIndex > 0 { output.append(",") }
                writeString(term, to: &output)
            }
            output.append("],\"evidence\":[")
            for (evidenceIndex, evidence) in explanation.evidence.enumerated() {
                if evidenceIndex > 0 { output.append(",") }
                output.append("{\"match\":")
                writeString(evidence.match, to: &output)
                output.append(",\"field\":\"")
                output.append(evidence.field.rawValue)
                output.append("\",\"sentence\":")
                output.append(String(evidence.sentence))
                output.append(",\"kind\":\"")
                output.append(evidence.kind.rawValue)
                output.append("\",\"context\":\"")
                output.append(evidence.context.rawValue)
                output.append("\",\"weight\":")
                writeDecimal(evidence.weight, to: &output)
                output.append("}")
            }
            output.append("]")
            if let model = explanation.model { writeModel(model, to: &output) }
            output.append("}")
        }
        output.append("]}")
    }

    /// `,"model":{"probability","threshold","decided","words":[{"word","place","weight"}]}`:
    /// what the learned layer said about the topic (docs/cli.md).
    static func writeModel(_ model: ModelEvidence, to output: inout OutputBuffer) {
        output.append(",\"model\":{\"probability\":")
        writeDecimal(model.probability, to: &output)
        output.append(",\"threshold\":")
        writeDecimal(model.threshold, to: &output)
        output.append(model.decided ? ",\"decided\":true,\"words\":[" : ",\"decided\":false,\"words\":[")
        for (index, word) in model.words.enumerated() {
            if index > 0 { output.append(",") }
            output.append("{\"word\":")
            writeString(word.word, to: &output)
            output.append(",\"place\":\"")
            output.append(word.place.rawValue)
            output.append("\",\"weight\":")
            if word.weight < 0 {
                output.append("-")
                writeDecimal(-word.weight, to: &output)
            } else {
                writeDecimal(word.weight, to: &output)
            }
            output.append("}")
        }
        output.append("]}")
    }

    /// `String(value)` for a score or weight (rounded to at most three decimals: "2.0",
    /// "0.25", "1.125") without the general shortest-digits algorithm, which was a tenth of
    /// the printing: the shortest decimal of such a value is its rounded digits. Any other
    /// value goes through `String`.
    static func writeDecimal(_ value: Double, to output: inout OutputBuffer) {
        let thousandths = (value * 1000).rounded()
        guard value >= 0, value < 1_000_000, thousandths / 1000 == value else {
            output.append(String(value))
            return
        }
        let scaled = Int(thousandths)
        let whole = scaled / 1000
        if whole < 10 {
            output.bytes.append(UInt8(ascii: "0") + UInt8(whole))
        } else {
            output.append(String(whole))
        }
        output.bytes.append(UInt8(ascii: "."))
        var fraction = scaled % 1000
        var digits = 3
        while digits > 1, fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        var divisor = digits == 3 ? 100 : digits == 2 ? 10 : 1
        while divisor > 0 {
            output.bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor % 10))
            divisor /= 10
        }
    }

    /// A JSON string, written by FeedParser's ``JSONString`` (the one writer of every JSON output).
    static func writeString(_ text: String, to output: inout OutputBuffer) {
        JSONString.write(text, to: &output.bytes)
    }
}

/// Bytes for stdout, written in large blocks.
struct OutputBuffer {
    var bytes: [UInt8] = []

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func flushIfLarge() {
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        StandardOutput.write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
