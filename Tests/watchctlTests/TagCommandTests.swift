import Foundation
import TestSupport
import XCTest

/// `watchctl tag`: the JSON of docs/cli.md, stdin JSON lines, human explanations, bad input.
final class TagCommandTests: XCTestCase {
    func testTextWithJSONPrintsOneObjectWithTopicsScoresAndMatches() throws {
        let result = try Watchctl.run(["tag", "L’IA générative arrive dans les CFA", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertTrue(object["id"] is NSNull)
        let topics = try XCTUnwrap(object["topics"] as? [[String: Any]])
        XCTAssertEqual(topics.count, 1)
        XCTAssertEqual(topics[0]["id"] as? String, "ia")
        XCTAssertEqual(topics[0]["score"] as? Double, 2.0)
        XCTAssertEqual(
            topics[0]["matches"] as? [String], ["IA générative"], "the longest rule entry at a place explains it")
    }

    func testStdinJSONLinesGiveAnArrayKeepingEachID() throws {
        let lines = """
            {"id":"a1","title":"Dotation employeur : ce qui change pour le CPF","summary":"Le décret précise l'abondement."}
            {"id":42,"title":"Via la plateforme des SIAE","summary":"Un appel à projets pour l'IAE."}

            {"id":null,"title":"Neurodiversité","summary":"Accueillir les apprenants TDAH en CFA.","content":"…"}
            """
        let result = try Watchctl.run(["tag", "--json"], stdin: Data(lines.utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        let array = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.count, 3, "the blank line is skipped")
        XCTAssertEqual(array[0]["id"] as? String, "a1")
        let first = try XCTUnwrap(array[0]["topics"] as? [[String: Any]])
        XCTAssertEqual(first.map { $0["id"] as? String }, ["cpf"])
        XCTAssertEqual(first[0]["matches"] as? [String], ["dotation employeur", "CPF", "abondement"])
        XCTAssertEqual(array[1]["id"] as? Int, 42)
        XCTAssertEqual((array[1]["topics"] as? [Any])?.count, 0)
        XCTAssertTrue(array[2]["id"] is NSNull)
        XCTAssertEqual((array[2]["topics"] as? [[String: Any]])?.map { $0["id"] as? String }, ["neurodiversite"])
    }

    /// The learned layer (docs/cli.md, "`tag --json` learned layer"): a topic it gives alone
    /// says so, with its probability, threshold and strongest words; a topic of the rules has
    /// no "model".
    func testTheLearnedLayerExplainsItselfInJSONAndInWords() throws {
        let title = "Certificat renouvelé : les preuves et indicateurs à préparer pour l'auditeur"
        let result = try Watchctl.run(["tag", title, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let topics = try XCTUnwrap(object["topics"] as? [[String: Any]])
        XCTAssertEqual(topics.map { $0["id"] as? String }, ["qualiopi"])
        guard let topic = topics.first else { return }
        XCTAssertEqual(topic["score"] as? Double, 1.0)
        XCTAssertEqual(topic["matches"] as? [String], [])
        let model = try XCTUnwrap(topic["model"] as? [String: Any])
        XCTAssertEqual(model["decided"] as? Bool, true)
        XCTAssertEqual(model["anchored"] as? Bool, true, "the rules found «auditeur»: the threshold applied")
        let alone = try XCTUnwrap(model["alone"] as? Double, "qualiopi's threshold with no anchor")
        XCTAssertGreaterThan(alone, try XCTUnwrap(model["threshold"] as? Double))
        let probability = try XCTUnwrap(model["probability"] as? Double)
        XCTAssertGreaterThanOrEqual(probability, try XCTUnwrap(model["threshold"] as? Double))
        let words = try XCTUnwrap(model["words"] as? [[String: Any]])
        XCTAssertTrue(words.contains { $0["word"] as? String == "auditeur" && $0["place"] as? String == "item" })
        XCTAssertTrue(words.allSatisfy { $0["weight"] is Double })

        let human = try Watchctl.run(["tag", title])
        XCTAssertTrue(
            human.stdout.hasPrefix("qualiopi (Qualiopi): given by the learned model, probability "), human.stdout)
        XCTAssertTrue(human.stdout.contains("«auditeur»"), human.stdout)

        let rules = try Watchctl.run(["tag", "Qualiopi : l'audit de surveillance à distance", "--json"])
        let ruled = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(rules.stdout.utf8)) as? [String: Any])
        let ruledTopic = try XCTUnwrap((ruled["topics"] as? [[String: Any]])?.first)
        XCTAssertNil(ruledTopic["model"], "the rules decided")
    }

    func testHumanOutputExplainsTheMatches() throws {
        let result = try Watchctl.run(["tag", "Qualiopi : l'audit de surveillance à distance"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(
            result.stdout,
            "qualiopi (Qualiopi): score 3.00 ≥ 1.00, matched «qualiopi», «audit de surveillance»\n")
        let none = try Watchctl.run(["tag", "Les médias et la formation"])
        XCTAssertEqual(none.stdout, "no topic (no rule reached its threshold)\n")
    }

    func testStdinLinesWithEscapesOtherKeysAndOddNumbersReadLikeJSON() throws {
        let lines = #"""
            {"link":"https://x.fr/a","id":"a\"1","tags":[1,{"k":[true,null]}],"title":"L\u2019IA g\u00e9n\u00e9rative \ud83e\udd16 arrive","summary":null}
            {"id":7.5,"title":"Neurodiversit\u00e9 \/ TDAH","published":-1.5e3}
            {"id":-0,"title":"Dotation employeur : \"ce qui change\"","summary":"Le CPF\n\tet l'abondement."}
            """#
        let result = try Watchctl.run(["tag", "--json"], stdin: Data(lines.utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        let array = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.count, 3)
        XCTAssertEqual(array[0]["id"] as? String, "a\"1")
        XCTAssertEqual((array[0]["topics"] as? [[String: Any]])?.first?["matches"] as? [String], ["IA générative"])
        XCTAssertEqual(array[1]["id"] as? Double, 7.5)
        XCTAssertEqual((array[1]["topics"] as? [[String: Any]])?.map { $0["id"] as? String }, ["neurodiversite"])
        XCTAssertEqual(array[2]["id"] as? Int, 0)
        XCTAssertEqual(
            (array[2]["topics"] as? [[String: Any]])?.first?["matches"] as? [String],
            ["dotation employeur", "CPF", "abondement"])
    }

    /// `count` lines of every shape `tag` reads (escapes, `\r\n`, a blank line in four): 8 000
    /// make over a megabyte, past the first block a pipe gives.
    static func manyLines(_ count: Int) -> Data {
        var lines: [String] = []
        for index in 0..<count {
            switch index % 4 {
            case 0:
                lines.append(
                    #"{"id":"a\#(index)","title":"CPF : la participation forfaitaire","summary":"Le reste à charge."}"#)
            case 1:
                lines.append(
                    #"{"id":\#(index),"title":"L\u2019IA g\u00e9n\u00e9rative","summary":"Un \"guide\"\n\tpour les CFA."}"#
                )
            case 2:
                lines.append(
                    #"{"id":null,"title":"Les médias et la formation","summary":"\#(String(repeating: "Rien à signaler. ", count: 20))"}"#
                        + "\r")
            default:
                lines.append("")
            }
        }
        return Data(lines.joined(separator: "\n").utf8)
    }

    func testStdinFromAFileReadsLikeAPipeOfMoreThanOneMegabyte() throws {
        // A file on stdin is read at once into a buffer of its size, a pipe into a growing
        // buffer: the same lines give the same output, past the pipe buffer's first megabyte too.
        let input = Self.manyLines(8_000)
        XCTAssertGreaterThan(input.count, 1 << 20)
        let folder = try TemporaryDirectory(prefix: "tag-stdin")
        defer { folder.remove() }
        let file = folder.file("items.jsonl")
        try input.write(to: file)

        let piped = try Watchctl.run(["tag", "--json"], stdin: input)
        let mapped = try Watchctl.run(["tag", "--json"], stdinFile: file)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(mapped.status, 0, mapped.stderr)
        XCTAssertEqual(mapped.stdout, piped.stdout)
        let array = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(mapped.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.count, 6_000, "blank lines are skipped")
        XCTAssertEqual(array[0]["id"] as? String, "a0")
        XCTAssertEqual((array[0]["topics"] as? [[String: Any]])?.map { $0["id"] as? String }, ["cpf"])
        XCTAssertEqual((array[1]["topics"] as? [[String: Any]])?.first?["matches"] as? [String], ["IA générative"])
        XCTAssertEqual((array[5999]["topics"] as? [Any])?.count, 0)

        let empty = folder.file("empty.jsonl")
        try Data().write(to: empty)
        let none = try Watchctl.run(["tag", "--json"], stdinFile: empty)
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertEqual(none.stdout, "[]\n")
    }

    /// A file on stdin that another process truncates while `tag` works on it (an export
    /// rewritten, a log rotated) ends the run normally, with the lines the file held when `tag`
    /// took it: never SIGBUS, which a mapped file raises at its first page past the new end.
    func testAStdinFileTruncatedWhileItIsTaggedEndsNormallyWithTheLinesItHeld() throws {
        let input = Self.manyLines(24_000)
        let folder = try TemporaryDirectory(prefix: "tag-truncated")
        defer { folder.remove() }
        let file = folder.file("items.jsonl")
        try input.write(to: file)
        let piped = try Watchctl.run(["tag", "--json"], stdin: input)
        XCTAssertEqual(piped.status, 0, piped.stderr)

        let truncated = try ChildProcess.run(
            Watchctl.executable, ["tag", "--json"], environment: Watchctl.environment(), stdinFile: file
        ) { child in
            // Once watchctl holds the input (read to its end, or mapped), and while it still
            // tags it (seconds in a debug build), the file is emptied under it.
            while child.isRunning, !Self.holds(file, of: input.count, process: child.processIdentifier) {
                usleep(1_000)
            }
            try FileHandle(forWritingTo: file).truncate(atOffset: 0)
        }
        XCTAssertEqual(try Data(contentsOf: file).count, 0, "the file was truncated")
        XCTAssertEqual(truncated.status, 0, "status (signal for a crash): \(truncated.status); \(truncated.stderr)")
        XCTAssertEqual(truncated.stdout, piped.stdout, "the lines the file held when watchctl took it")
    }

    /// Whether process `pid` holds `file` (`size` bytes) on its stdin: read to the end (the
    /// offset of descriptor 0, in /proc/PID/fdinfo/0, is the size), or mapped (in /proc/PID/maps).
    static func holds(_ file: URL, of size: Int, process pid: Int32) -> Bool {
        let info = (try? String(contentsOfFile: "/proc/\(pid)/fdinfo/0", encoding: .utf8)) ?? ""
        let position = info.split(separator: "\n").first { $0.hasPrefix("pos:") }
            .flatMap { Int($0.dropFirst(4).trimmingCharacters(in: .whitespaces)) }
        if let position, position >= size { return true }
        let maps = (try? String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8)) ?? ""
        return maps.contains(file.resolvingSymlinksInPath().path)
    }

    func testBadStdinLineExitsTwoNamingTheLine() throws {
        let lines = "{\"id\":1,\"title\":\"CPF\"}\nnot json\n"
        let result = try Watchctl.run(["tag", "--json"], stdin: Data(lines.utf8))
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.contains("stdin line 2"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1)
    }

    func testIllFormedUTF8InAStdinLineExitsTwoAndWellFormedIsRead() throws {
        // Each byte sequence inside a title, before and after plain text of eight bytes or more
        // (read eight at a time), then before an escape (checked again once unescaped).
        let illFormed: [[UInt8]] = [
            [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xC3], [0xC3, 0x28], [0xE0, 0x9F, 0xBF],
            [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xF0, 0x9F, 0x98],
        ]
        let wellFormed: [[UInt8]] = [
            [0xC3, 0xA9], [0xE2, 0x80, 0x99], [0xED, 0x9F, 0xBF], [0xEF, 0xBF, 0xBD], [0xF0, 0x9F, 0x98, 0x80],
            [0xF4, 0x8F, 0xBF, 0xBF],
        ]
        for (sequences, status) in [(illFormed, Int32(2)), (wellFormed, Int32(0))] {
            for sequence in sequences {
                for (before, after) in [("", ""), ("Formation CPF ", " et Qualiopi"), ("CPF ", "\\n")] {
                    var line = Array("{\"id\":1,\"title\":\"\(before)".utf8) + sequence
                    line += Array("\(after)\"}\n".utf8)
                    let result = try Watchctl.run(["tag", "--json"], stdin: Data(line))
                    XCTAssertEqual(result.status, status, "\(sequence) after \"\(before)\": \(result.stderr)")
                }
            }
        }
    }
}
