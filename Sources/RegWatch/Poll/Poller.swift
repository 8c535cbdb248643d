import Synchronization
import FeedParser
import Foundation
import Logging
import Transfer

/// One poll of a set of feeds: fetch them concurrently, parse, store, tag.
///
/// Each feed's outcome is committed on its own (its entries, state and fetch log in one
/// transaction) as soon as its transfer ends, so a crash or a shutdown loses nothing already
/// finished, and one failing feed never stops the others.
public struct Poller: Sendable {
    private let configuration: Configuration
    private let database: AppDatabase
    private let fetcher: Fetcher
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// Creates a poller.
    ///
    /// - Parameters:
    ///   - configuration: feeds.toml: limits, topics, feeds' intervals and topics.
    ///   - database: where results go.
    ///   - fetcher: the transfers; by default one built from `[fetch]`.
    ///   - logger: one line per feed at debug, failures at warning.
    ///   - now: the wall clock (tests fix it).
    public init(
        configuration: Configuration,
        database: AppDatabase,
        fetcher: Fetcher? = nil,
        logger: Logger = Logger(label: "regwatch.poll"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.database = database
        self.fetcher = fetcher ?? Fetcher(configuration: Fetcher.Configuration(configuration.fetch))
        self.logger = logger
        self.now = now
    }

    /// Polls `feeds` once, now, whatever their schedule, and returns what happened.
    ///
    /// - Parameter progress: called after each feed (from any task), for a progress bar.
    public func poll(
        _ feeds: [FeedEntry], progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws -> PollSummary {
        try database.checkWritable()
        let states = try database.feedStatesByURL()
        // Pages and watched documents compare with their last read; feeds need nothing.
        let memories = feeds.contains { $0.kind != .feed } ? try database.sourceMemories() : [:]
        var jobs: [FetchRequest: FeedEntry] = [:]
        var requests: [FetchRequest] = []
        for entry in feeds {
            let state = states[entry.url.normalized]
            // A 301/308 seen earlier: go straight to where the feed lives now.
            let target = state?.redirectTo.flatMap(FeedURL.init) ?? entry.url
            var request = FetchRequest(
                url: target.url, etag: state?.etag, lastModified: state?.lastModified,
                accept: SourceReaders.reader(for: entry, configuration: configuration).accept)
            if jobs[request] != nil {
                // Two entries pointing at one URL: fetch it once, without validators for the twin.
                request.etag = nil
                request.lastModified = nil
            }
            guard jobs[request] == nil else { continue }
            jobs[request] = entry
            requests.append(request)
        }

        let tally = PollTally(total: requests.count)
        let frozenJobs = jobs
        let retagger = Retagger(configuration: configuration, database: database, now: now)
        let store = StoreQueue()
        // As many feeds between request and commit as transfers in flight: the store still never
        // waits (the fetches outrun it), and a cold poll holds fewer parsed feeds in memory
        // (twice as many cost the same CPU and wall time and 3–5 MB more at peak, issue #19).
        let maxPending = configuration.fetch.concurrency
        await fetcher.fetchAll(requests, maxPending: maxPending) { request, result in
            guard let entry = frozenJobs[request] else { return }
            if case .failure(let error) = result, error.kind == .cancelled { return }
            let outcome = await self.record(
                result, for: entry, previous: memories[entry.url.normalized], tagging: retagger, store: store)
            let done = tally.add(outcome, url: entry.url)
            progress?(done, tally.total)
        }
        await store.waitUntilIdle()
        // Entries are tagged as they are stored; this catches what an interrupted earlier poll
        // (or an older version) left untagged.
        try retagger.tagPending()
        return tally.summary(feeds: requests.count)
    }

    /// Tags every stored item the tagger has not read yet.
    ///
    /// - Returns: how many items were tagged.
    @discardableResult
    public func tagPending() throws -> Int {
        try Retagger(configuration: configuration, database: database, now: now).tagPending()
    }

    /// Stores one feed's outcome and says what it was.
    ///
    /// Parsing and tagging run here, in the transfer's own task (so on every core); only the
    /// store's write is serialised, on `store`'s thread.
    private func record(
        _ result: Result<FetchResponse, TransferError>, for entry: FeedEntry, previous: SourceMemory?,
        tagging retagger: Retagger, store: StoreQueue
    ) async -> FeedOutcome {
        let schedule = PollSchedule(interval: entry.pollInterval(default: configuration.fetch.defaultInterval))
        let key = entry.url.rawValue
        let finished = now()
        do {
            switch result {
            case .success(let response):
                var report = FetchReport(
                    time: finished, status: response.status, duration: response.duration, bytes: response.bytes,
                    etag: response.etag, lastModified: response.lastModified,
                    permanentRedirect: response.permanentRedirect?.absoluteString)
                if response.isNotModified {
                    report.nextDue = schedule.nextDue(
                        after: .success(freshFor: Self.freshness(response, ttl: nil, now: finished)), at: finished,
                        feedKey: key)
                    try await store.run { [report] in try database.recordFetchNotModified(entry.url, report: report) }
                    logger.debug("feed not modified", metadata: ["feed.url": "\(key)"])
                    return .notModified
                }
                let reading: SourceReading
                do {
                    reading = try SourceReaders.reader(for: entry, configuration: configuration)
                        .read(response, previous: previous, at: finished)
                } catch {
                    let problem = Self.problem(error)
                    let message =
                        problem == .htmlPage
                        ? "\(response.finalURL.absoluteString): HTTP \(response.status) with an HTML page, not a feed — "
                            + "put the feed's own URL in feeds.toml (watchctl fetch on this page finds the feed it announces)"
                        : "\(response.finalURL.absoluteString): \(error)"
                    try await store.run { [report] in
                        try database.recordFetchFailure(entry.url, report: report, error: message, problem: problem) {
                            streak in
                            schedule.nextDue(
                                after: .failure(streak: streak, retryAfter: nil), at: finished, feedKey: key)
                        }
                    }
                    logger.warning("feed unreadable", metadata: ["feed.url": "\(key)", "error": "\(error)"])
                    return .failed(message)
                }
                let feed = reading.feed
                report.nextDue = schedule.nextDue(
                    after: .success(freshFor: Self.freshness(response, ttl: feed.ttlMinutes, now: finished)),
                    at: finished, feedKey: key)
                let declaredTopics = retagger.declaredTopics(of: entry.url)
                // One workspace for the fetch: the tagger's buffers serve every item, and are
                // freed here, not kept while the fetch waits for the store.
                let tags: [[TopicMatch]] = {
                    var workspace = Tagger.Workspace()
                    return feed.items.map { item in
                        retagger.tags(
                            title: item.title, summary: item.summary, content: item.content, boosting: declaredTopics,
                            workspace: &workspace)
                    }
                }()
                let prepared = PreparedFeed(feed, tags: tags)
                let stored = try await store.run { [report] in
                    try database.recordFetchSuccess(
                        entry.url, feed: prepared, report: report, memory: reading.memory,
                        expectsItems: entry.kind == .feed)
                }
                if stored.emptiedFeed {
                    logger.warning("feed gave no item, though it gave items before", metadata: ["feed.url": "\(key)"])
                    return .ok(newItems: 0, emptied: true)
                }
                logger.debug(
                    "feed fetched",
                    metadata: [
                        "feed.url": "\(key)", "feed.items": "\(feed.items.count)", "feed.new": "\(stored.inserted)",
                    ])
                return .ok(newItems: stored.inserted, emptied: false)

            case .failure(let error):
                let report = FetchReport(
                    time: finished, status: error.status, duration: error.duration, bytes: error.bytes)
                let retryAfter: Duration? =
                    if case .retryAfter(let wait) = error.nextStep { wait } else { error.retryAfter }
                try await store.run {
                    try database.recordFetchFailure(
                        entry.url, report: report, error: error.description,
                        problem: error.kind == .tooLarge ? .tooLarge : nil,
                        gone: error.nextStep == .disable
                    ) { streak in
                        schedule.nextDue(
                            after: .failure(streak: streak, retryAfter: retryAfter), at: finished, feedKey: key)
                    }
                }
                logger.warning("feed failed", metadata: ["feed.url": "\(key)", "error": "\(error.description)"])
                return .failed(error.description)
            }
        } catch {
            // The store itself failed (disk full, read-only): the feed's outcome is lost, say so.
            logger.error("cannot store feed result", metadata: ["feed.url": "\(key)", "error": "\(error)"])
            return .failed("\(key): \(error)")
        }
    }

    /// What an answered document that is no readable feed held.
    static func problem(_ error: any Error) -> FeedProblem {
        guard let parse = error as? FeedParseError else { return .malformed }
        if parse.isHTMLPage { return .htmlPage }
        if parse.isNotAFeed { return .notAFeed }
        if parse.isTooLarge { return .tooLarge }
        return .malformed
    }

    /// The longest wait the server asked for: Cache-Control max-age, Expires, the feed's `<ttl>`.
    static func freshness(_ response: FetchResponse, ttl: Int?, now: Date) -> Duration? {
        var hints: [Duration] = []
        if let maxAge = response.maxAge { hints.append(maxAge) }
        if let expires = response.expires, expires > now { hints.append(.seconds(expires.timeIntervalSince(now))) }
        if let ttl, ttl > 0 { hints.append(.seconds(ttl * 60)) }
        return hints.max()
    }
}

/// Runs the poller's store calls one after another on a thread of their own.
///
/// A store call blocks while the database writer is busy; on Swift's cooperative pool (one
/// thread per core) that would leave a core idle instead of parsing the next feed. The calls
/// are serialised by the single writer anyway, so one serial queue loses nothing.
struct StoreQueue: Sendable {
    private let queue = DispatchQueue(label: "regwatch.poll.store")

    /// `body`'s result, once it has run on the queue.
    @discardableResult
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Returns once every call queued so far has finished and let go of what it captured (the
    /// database among them: a command exiting right after a poll then closes it cleanly, and
    /// SQLite removes its WAL files).
    func waitUntilIdle() async {
        await withCheckedContinuation { continuation in queue.async { continuation.resume() } }
    }
}

/// What one feed's poll gave.
enum FeedOutcome: Sendable {
    case ok(newItems: Int, emptied: Bool)
    case notModified
    case failed(String)
}

/// What a poll did, in the keys of `watchctl poll --json` (docs/cli.md).
public struct PollSummary: Sendable, Equatable, Codable {
    /// A feed that failed, and why (one line).
    public struct FeedError: Sendable, Equatable, Codable {
        /// The feed's configured URL.
        public var url: String
        /// One line: what failed and what to do.
        public var error: String

        /// Creates an entry.
        public init(url: String, error: String) {
            self.url = url
            self.error = error
        }
    }

    /// Feeds polled.
    public var feeds: Int
    /// Feeds that answered 200 with a readable feed.
    public var ok: Int
    /// Feeds that answered 304.
    public var notModified: Int
    /// Feeds that failed (transfer, HTTP error, unreadable document, store).
    public var failed: Int
    /// Items stored for the first time.
    public var newItems: Int
    /// Each failure, by URL.
    public var errors: [FeedError]
    /// Feeds read fine but with no item, though they gave items before (their URL): not
    /// failures, but blind spots to check.
    public var emptied: [String] = []

    /// Creates a summary.
    public init(feeds: Int, ok: Int, notModified: Int, failed: Int, newItems: Int, errors: [FeedError]) {
        self.feeds = feeds
        self.ok = ok
        self.notModified = notModified
        self.failed = failed
        self.newItems = newItems
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case feeds, ok, failed, errors, emptied
        case notModified = "not_modified"
        case newItems = "new_items"
    }
}

/// Counts outcomes as transfers finish, from many tasks at once.
private final class PollTally: Sendable {
    private struct Counts {
        var done = 0
        var ok = 0
        var notModified = 0
        var newItems = 0
        var errors: [PollSummary.FeedError] = []
        var emptied: [String] = []
    }

    private let counts = Mutex(Counts())
    let total: Int

    init(total: Int) { self.total = total }

    func add(_ outcome: FeedOutcome, url: FeedURL) -> Int {
        counts.withLock { counts in
            counts.done += 1
            switch outcome {
            case .ok(let newItems, let emptied):
                counts.ok += 1
                counts.newItems += newItems
                if emptied { counts.emptied.append(url.rawValue) }
            case .notModified:
                counts.notModified += 1
            case .failed(let error):
                counts.errors.append(.init(url: url.rawValue, error: error))
            }
            return counts.done
        }
    }

    func summary(feeds: Int) -> PollSummary {
        counts.withLock { counts in
            var summary = PollSummary(
                feeds: feeds, ok: counts.ok, notModified: counts.notModified, failed: counts.errors.count,
                newItems: counts.newItems, errors: counts.errors.sorted { $0.url < $1.url })
            summary.emptied = counts.emptied.sorted()
            return summary
        }
    }
}
