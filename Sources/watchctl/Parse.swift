import ArgumentParser
import FeedParser
import Foundation
import RegWatch

/// `watchctl parse FILE [--base-url URL]`: one local feed document to the JSON of docs/cli.md.
struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a local RSS/Atom/RDF/JSON feed file and print it as JSON.",
        discussion: """
            Prints {"format","title","link","items":[…]} with plain-text fields, absolute links \
            and UTC dates. Nothing is stored. Given several files, prints one JSON document per \
            line, in order (the single-file output is exactly the same document).

            Example:
              watchctl parse centre-inffo.xml --base-url https://www.centre-inffo.fr/feed
              watchctl parse --noout flux/*.xml     # exit 0: every file is a feed

            With --noout (as xmllint's option of that name), every file is parsed fully and \
            nothing is printed: the exit status and the one-line error are the same as without it.

            With --kind page, each file is an HTML listing page read with the recipe given \
            (--items, --title, --link, --date, --summary) or the block detected, as \
            `watchctl fetch URL --kind page` does, in the same JSON shape:
              watchctl parse actualites.html --kind page --items "//div[@class='views-row']" --base-url https://www.opco.example/
            """
    )

    @Argument(help: "The feed file(s) to parse.")
    var files: [String]

    @Option(
        name: .customLong("base-url"),
        help:
            "The URL the document came from; relative links resolve against it (default: xml:base, then the feed's own link)."
    )
    var baseURL: String?

    @Flag(
        name: .customLong("noout"),
        help: "Parse every file fully but print nothing (check feeds in scripts; errors and exit status unchanged).")
    var noOut = false

    @OptionGroup var page: PageOptions

    @Option(
        help: ArgumentHelp(
            "With --kind page: the XPath of each item's title, relative to its block.", valueName: "XPATH"))
    var title: String?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError(Messages.current.parseNeedsFile) }
        var page = page
        page.title = title
        try page.validate()
        if page.impliedKind == .change {
            throw ValidationError(Messages.current.parseNoChange)
        }
        if let baseURL, URL(string: baseURL)?.scheme == nil {
            throw ValidationError(Messages.current.notAbsoluteURL(baseURL))
        }
    }

    func run() throws {
        // Local files: the 10 MiB network cap would only get in the way of a big archive.
        let parser = FeedParser(configuration: .init(maximumInputBytes: 1 << 30))
        let base = baseURL.flatMap { URL(string: $0) }
        var out: [UInt8] = []
        // The output buffer reaches its flush size (1 MiB) on big documents: taken now, before a
        // parsed page's tree is freed, it does not make malloc sweep that tree's freed nodes.
        out.reserveCapacity(page.impliedKind == .page ? (1 << 20) + (1 << 16) : 0)
        for file in files {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file), options: .mappedIfSafe)
            } catch {
                throw ParseFileError(file: file, reason: .cannotReadFile(.fileReason(error)))
            }
            let feed: Feed
            do {
                if page.impliedKind == .page {
                    feed = try readPage(data, file: file, base: base)
                } else {
                    feed = try parser.parse(data, baseURL: base)
                }
            } catch let error as FeedParseError {
                throw ParseFileError(file: file, reason: .feedParse(error))
            }
            if noOut { continue }
            out.removeAll(keepingCapacity: true)
            FeedJSON.write(feed, to: &out, flush: Self.writeOut)
            out.append(0x0A)
            Self.writeOut(&out)
        }
    }

    /// Writes the bytes to stdout and empties the buffer (no copy into a `Data`).
    /// A listing page read with the recipe given, or the detected one.
    private func readPage(_ data: Data, file: String, base: URL?) throws -> Feed {
        let reader = PageReader(configuration: .init(maximumInputBytes: 1 << 30))
        let url = base ?? URL(fileURLWithPath: file)
        var options = page
        options.title = title
        if let recipe = options.recipe { return try reader.read(data, url: url, recipe: recipe) }
        guard let detected = try reader.detect(data, url: url) else {
            throw ParseFileError(file: file, reason: .noHeadlineBlock)
        }
        return detected.feed
    }

    private static func writeOut(_ bytes: inout [UInt8]) {
        StandardOutput.write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

}

/// A file given to `parse` that cannot be read or is not a feed: bad input, exit 2.
struct ParseFileError: ActionableError {
    let file: String
    let reason: Wording
    var kind: FailureKind { .badInput }
    var wording: Wording { .notAFeedFile(file, reason: reason) }
    var description: String { wording.english }
}
