import ArgumentParser
import Foundation
import Logging
import RegWatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `watchctl poll [--feed URL] [--json]`: fetch every enabled feed once, now.
struct Poll: AsyncParsableCommand, LogLevelConfigurable {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Fetch every enabled feed once now, store and tag the new items.",
        discussion: """
            Feeds are fetched concurrently within the [fetch] limits, with conditional GET, whatever \
            their schedule (the daemon is what honours intervals and backoff). Each feed's result is \
            committed as soon as it arrives. A failing feed is reported and does not stop the others; \
            the exit status is 0 once the poll ran, 1 if --feed was given and that feed failed.

            Examples:
              watchctl poll
              watchctl poll --feed https://www.centre-inffo.fr/feed --json
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: ArgumentHelp("Poll only this feed of feeds.toml.", valueName: "URL"))
    var feed: String?

    @Flag(help: "Print one JSON document: {feeds, ok, not_modified, failed, new_items, errors}.")
    var json = false

    func run() async throws {
        let configuration = try global.loadConfiguration()
        var feeds = configuration.enabledFeeds
        if let feed {
            guard let url = FeedURL(feed) else { throw ValidationError(Messages.current.notHTTP("--feed", feed)) }
            guard let entry = configuration.feeds.first(where: { $0.url.isSameFeed(as: url) }) else {
                let file = configuration.file?.path ?? "feeds.toml"
                throw InputError(Messages.current.noFeedEntry(file: file, feed: feed))
            }
            feeds = [entry]
        }
        let database = try global.openDatabase(configuration)
        // Per-feed failures are in the summary; the log only repeats them when asked to.
        var logger = Logger(label: "regwatch.poll")
        logger.logLevel = logging.logLevel ?? .error
        let poller = Poller(configuration: configuration, database: database, logger: logger)

        let bar = !json && isatty(STDERR_FILENO) == 1 ? ProgressBar(total: feeds.count) : nil
        let summary = try await poller.poll(feeds) { done, total in bar?.update(done: done, total: total) }
        bar?.finish()

        if json {
            try Output.printJSON(summary)
        } else {
            print(Self.line(summary))
            // Each error line already names its URL.
            for error in summary.errors {
                print("  " + Messages.current.pollFailure(url: error.url, error: error.error))
            }
            for url in summary.emptied {
                print("  " + Messages.current.pollEmptied(url: url))
            }
        }
        if feed != nil, summary.failed > 0 { throw ExitCode(1) }
    }

    /// "42 flux : 30 à jour, 10 inchangés (304), 2 en échec — 57 nouveaux articles".
    static func line(_ summary: PollSummary) -> String {
        Messages.current.pollSummary(
            feeds: summary.feeds, ok: summary.ok, notModified: summary.notModified, failed: summary.failed,
            newItems: summary.newItems)
    }
}

/// A one-line progress bar on stderr, redrawn in place (only on a terminal).
final class ProgressBar: Sendable {
    private let state = Mutex<(total: Int, drawn: Int)>((0, -1))

    init(total: Int) {
        state.withLock { $0.total = total }
    }

    func update(done: Int, total: Int) {
        let width = 30
        let line: String? = state.withLock { state in
            let filled = total == 0 ? width : done * width / total
            guard filled != state.drawn || done == total else { return nil }
            state.drawn = filled
            return "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                + "] " + Messages.current.progress(done: done, total: total)
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
