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
            let input = StandardInput.readAll()
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
                        name, probability: format(model.probability), threshold: format(model.appliedThreshold),
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

    /// Decodes the JSON lines of `bytes` (blank lines skipped), tags each and renders it with
    /// `render` (its index among all lines, its id, its topics, the chunk's output), in chunks
    /// spread over the machine's cores. A bad line is an error naming its number.
    /// - Returns: the rendered chunks, in input order.
    static func tagLines(
        of data: Data, with tagger: Tagger,
        render: @escaping @Sendable (Int, ID, [TopicExplanation], inout OutputBuffer) -> Void
    ) throws -> [OutputBuffer] {
        let lines = data.withUnsafeBytes { lineRanges($0.assumingMemoryBound(to: UInt8.self)) }
        let chunkCount = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, lines.count / 1_000))
        let slots = ChunkSlots<Result<OutputBuffer, TagInputError>>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let first = lines.count * chunk / chunkCount
            let chunkLines = lines[first..<lines.count * (chunk + 1) / chunkCount]
            // The output is about as long as the input: room for it at once spares growing copies.
            let inputBytes =
                chunkLines.isEmpty ? 0 : chunkLines.last!.range.upperBound - chunkLines.first!.range.lowerBound
            let result = data.withUnsafeBytes { bytes in
                tagChunk(
                    chunkLines, first: first, of: bytes.assumingMemoryBound(to: UInt8.self), outputCapacity: inputBytes,
                    with: tagger, render: render)
            }
            slots.set(chunk, result)
        }
        return try slots.values.map { try $0!.get() }
    }

    /// Tags one chunk of lines. When ``TagLineParser`` reads every line, the tagger reads the
    /// text fields straight from the input's bytes (or from the chunk's unescaped copies),
    /// with one workspace for the chunk: no `String` per field. Otherwise the chunk goes
    /// through ``decode(_:of:)``, as before.
    private static func tagChunk(
        _ lines: ArraySlice<(range: Range<Int>, number: Int)>, first: Int, of buffer: UnsafeBufferPointer<UInt8>,
        outputCapacity: Int, with tagger: Tagger, render: (Int, ID, [TopicExplanation], inout OutputBuffer) -> Void
    ) -> Result<OutputBuffer, TagInputError> {
        var output = OutputBuffer()
        output.bytes.reserveCapacity(outputCapacity)
        let parsed: Bool = {
            var unescaped: [UInt8] = []
            var parsed: [TagLineParser.Line] = []
            parsed.reserveCapacity(lines.count)
            for line in lines {
                guard let fields = TagLineParser.parse(buffer, line.range, unescaped: &unescaped) else { return false }
                parsed.append(fields)
            }
            var workspace = Tagger.Workspace()
            unescaped.withUnsafeBufferPointer { unescaped in
                func text(_ text: TagLineParser.Text?) -> UnsafeBufferPointer<UInt8>? {
                    guard let text else { return nil }
                    let source = text.isUnescaped ? unescaped : buffer
                    return UnsafeBufferPointer(rebasing: source[text.start..<text.start + text.count])
                }
                for offset in parsed.indices {
                    let line = parsed[offset]
                    let topics = tagger.explain(
                        utf8Title: text(line.title), summary: text(line.summary), content: text(line.content),
                        workspace: &workspace)
                    render(first + offset, line.id, topics, &output)
                }
            }
            return true
        }()
        if parsed { return .success(output) }
        return decode(lines, of: buffer).map { inputs in
            for (offset, input) in inputs.enumerated() {
                let topics = tagger.explain(title: input.title, summary: input.summary, content: input.content)
                render(first + offset, input.id, topics, &output)
            }
            return output
        }
    }

    /// The byte ranges and 1-based numbers of the non-blank lines.
    static func lineRanges(_ buffer: UnsafeBufferPointer<UInt8>) -> [(range: Range<Int>, number: Int)] {
        var lines: [(range: Range<Int>, number: Int)] = []
        lines.reserveCapacity(buffer.count / 256)
        var number = 0
        guard let base = buffer.baseAddress else { return lines }
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
        return lines
    }

    /// Decodes a chunk of lines that ``TagLineParser`` does not read (something it does not
    /// expect) in one JSONDecoder call (as one array: the per-call cost dominates small
    /// objects), and when that fails, line by line to name the bad one.
    static func decode(_ lines: ArraySlice<(range: Range<Int>, number: Int)>, of bytes: UnsafeBufferPointer<UInt8>)
        -> Result<
            [TagInput], TagInputError
        >
    {
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
        output.write("{\"id\":")
        switch id {
        case .string(let text): writeString(text, to: &output)
        case .number(let text): output.append(text)
        case .null: output.write("null")
        }
        output.write(",\"topics\":[")
        // Indices, not `enumerated()`: its (offset, element) tuples are copied and destroyed
        // through the runtime's generic tuple witnesses, an indirect call per element.
        for index in topics.indices {
            let explanation = topics[index]
            let topic = explanation.match
            if index > 0 { output.write(",") }
            output.write("{\"id\":")
            writeString(topic.id.rawValue, to: &output)
            output.write(",\"score\":")
            writeDecimal(topic.score, to: &output)
            output.write(",\"matches\":[")
            for termIndex in topic.matches.indices {
                if termIndex > 0 { output.write(",") }
                writeString(topic.matches[termIndex], to: &output)
            }
            output.write("],\"evidence\":[")
            for evidenceIndex in explanation.evidence.indices {
                let evidence = explanation.evidence[evidenceIndex]
                if evidenceIndex > 0 { output.write(",") }
                output.write("{\"match\":")
                writeString(evidence.match, to: &output)
                switch evidence.field {
                case .title: output.write(",\"field\":\"title\",\"sentence\":")
                case .summary: output.write(",\"field\":\"summary\",\"sentence\":")
                case .content: output.write(",\"field\":\"content\",\"sentence\":")
                }
                writeInteger(evidence.sentence, to: &output)
                switch evidence.kind {
                case .term: output.write(",\"kind\":\"term\",\"context\":\"")
                case .related: output.write(",\"kind\":\"related\",\"context\":\"")
                }
                switch evidence.context {
                case .plain: output.write("plain\",\"weight\":")
                case .listed: output.write("listed\",\"weight\":")
                case .boilerplate: output.write("boilerplate\",\"weight\":")
                }
                writeDecimal(evidence.weight, to: &output)
                output.write("}")
            }
            output.write("]")
            if let model = explanation.model { writeModel(model, to: &output) }
            output.write("}")
        }
        output.write("]}")
    }

    /// `,"model":{"probability","threshold","decided","words":[{"word","place","weight"}],"anchored"[,"alone"]}`:
    /// what the learned layer said about the topic (docs/cli.md).
    static func writeModel(_ model: ModelEvidence, to output: inout OutputBuffer) {
        output.write(",\"model\":{\"probability\":")
        writeDecimal(model.probability, to: &output)
        output.write(",\"threshold\":")
        writeDecimal(model.threshold, to: &output)
        output.write(model.decided ? ",\"decided\":true,\"words\":[" : ",\"decided\":false,\"words\":[")
        for index in model.words.indices {
            let word = model.words[index]
            if index > 0 { output.write(",") }
            output.write("{\"word\":")
            writeString(word.word, to: &output)
            output.write(",\"place\":\"")
            output.append(word.place.rawValue)
            output.write("\",\"weight\":")
            if word.weight < 0 {
                output.write("-")
                writeDecimal(-word.weight, to: &output)
            } else {
                writeDecimal(word.weight, to: &output)
            }
            output.write("}")
        }
        output.write(model.anchored ? "],\"anchored\":true" : "],\"anchored\":false")
        if let alone = model.alone {
            output.write(",\"alone\":")
            writeDecimal(alone, to: &output)
        }
        output.write("}")
    }

    /// `String(value)` of a sentence number, without building the `String`.
    static func writeInteger(_ value: Int, to output: inout OutputBuffer) {
        guard value >= 0, value < 10 else {
            output.append(String(value))
            return
        }
        output.bytes.append(UInt8(ascii: "0") + UInt8(value))
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

    /// Appends a constant's bytes (the JSON punctuation and keys), with no `String` to read.
    @inline(__always)
    mutating func write(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func flushIfLarge() {
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        StandardOutput.write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
