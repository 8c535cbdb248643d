import Foundation
import Logging
import RegWatch
import ServiceLifecycle
import TestSupport
import XCTest

/// The daemon's run loop inside a real `ServiceGroup`, with a real config file and a real
/// notification socket. The polling itself is `RecordingWork`, which records what the daemon
/// asked of it: the real Poller is exercised by the watchctl tests that run `watchctl daemon`.
final class DaemonServiceTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var file: URL!
    private var socket: NotifySocket!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory(prefix: "regwatch-daemon")
        file = try folder.write(
            "https://travail-emploi.gouv.fr/rss\nhttps://www.centre-inffo.fr/feed\n", to: "feeds.list")
        socket = try NotifySocket(path: folder.file("notify.sock").path)
    }

    override func tearDown() {
        folder.remove()
    }

    func testItPollsAtStartAndTellsSystemdItIsReadyThenHowThePollWent() async throws {
        let work = RecordingWork()
        let socket = self.socket!
        try await withDaemon(work: work) { _, _ in
            XCTAssertNotNil(socket.waitFor { $0.hasPrefix("READY=1\n") })
            let status = socket.waitFor { $0.hasPrefix("STATUS=2 feeds, 0 failing, next poll ") }
            XCTAssertNotNil(status, "datagrams: \(socket.datagrams)")
            let first = await work.waitForRounds(1)
            XCTAssertEqual(first.first?.urls.count, 2)
        }
    }

    func testAnEditedConfigIsUsedByTheNextRoundWithoutARestart() async throws {
        let work = RecordingWork()
        let folder = self.folder!
        try await withDaemon(work: work) { _, _ in
            _ = await work.waitForRounds(1)
            try folder.write(
                "https://travail-emploi.gouv.fr/rss\nhttps://www.centre-inffo.fr/feed\nhttps://sydologie.com/feed\n",
                to: "feeds.list")

            let seen = await work.waitFor { $0.urls.count == 3 }
            let rounds = await work.rounds
            XCTAssertTrue(seen, "rounds: \(rounds)")
        }
    }

    func testABrokenEditKeepsThePreviousConfigAndSaysWhichLineInTheStatus() async throws {
        let work = RecordingWork()
        let (socket, folder) = (self.socket!, self.folder!)
        try await withDaemon(work: work) { _, _ in
            _ = await work.waitForRounds(1)
            try folder.write("https://travail-emploi.gouv.fr/rss\nhtps:/typo\n", to: "feeds.list")

            let status = socket.waitFor { $0.contains("edit rejected") }
            XCTAssertEqual(
                status?.hasSuffix("previous config kept: feeds.list:2: htps:/typo: not an http(s) URL\n"), true,
                "status: \(status ?? "none")")
            try folder.write(
                "https://travail-emploi.gouv.fr/rss\nhttps://www.centre-inffo.fr/feed\nhttps://sydologie.com/feed\n",
                to: "feeds.list")
            let fixed = await work.waitFor { $0.urls.count == 3 }
            XCTAssertTrue(fixed)
            let rounds = await work.rounds
            XCTAssertFalse(rounds.contains { $0.urls.count == 1 }, "the broken file was never used: \(rounds)")
        }
    }

    func testAReloadRequestReloadsEvenAnUnchangedFile() async throws {
        let work = RecordingWork()
        let loads = LoadCounter()
        try await withDaemon(work: work, loads: loads) { _, reload in
            _ = await work.waitForRounds(1)
            XCTAssertEqual(loads.count, 1)

            reload.yield()

            let deadline = Date().addingTimeInterval(10)
            while loads.count < 2, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
            XCTAssertEqual(loads.count, 2)
        }
    }

    func testGracefulShutdownCancelsTheRoundInFlightAndSaysStopping() async throws {
        let work = RecordingWork(blockUntilCancelled: true)
        try await withDaemon(work: work) { group, _ in
            _ = await work.waitForStarts(1)

            await group.triggerGracefulShutdown()
        }
        let cancelled = await work.cancelledRounds
        XCTAssertEqual(cancelled, 1)
        XCTAssertNotNil(socket.waitFor { $0.hasPrefix("STOPPING=1\n") })
    }

    // MARK: - Harness

    /// Runs the daemon in a `ServiceGroup` while `body` runs, then shuts it down and waits for it.
    private func withDaemon(
        work: RecordingWork,
        loads: LoadCounter = LoadCounter(),
        _ body: @escaping @Sendable (ServiceGroup, AsyncStream<Void>.Continuation) async throws -> Void
    ) async throws {
        let (watcher, settings) = try ConfigWatcher.start(file: file) { url in
            loads.increment()
            return try FeedList.load(url)
        }
        let (reloads, reload) = AsyncStream<Void>.makeStream()
        var options = PollingDaemon<RecordingWork, ContinuousClock, AsyncStream<Void>>.Options()
        options.tick = .milliseconds(20)
        options.language = .english  // the STATUS= lines below are compared in English
        let daemon = PollingDaemon(
            work: work, watcher: watcher, settings: settings,
            notifier: SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.environmentValue]),
            reloadRequests: reloads, options: options, clock: ContinuousClock(),
            logger: Logger(label: "regwatch-test"))
        let group = ServiceGroup(services: [daemon], logger: Logger(label: "regwatch-test"))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                try await body(group, reload)
                await group.triggerGracefulShutdown()
            }
            try await tasks.waitForAll()
        }
    }
}

/// Counts how often the config was loaded.
final class LoadCounter: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = 0

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func increment() {
        lock.lock()
        value += 1
        lock.unlock()
    }
}

/// The test double of `PollingWork`: records each round's settings and says every feed is due
/// again in an hour (so that only a reload triggers another round).
actor RecordingWork: PollingWork {
    private(set) var rounds: [FeedList] = []
    private(set) var starts = 0
    private(set) var cancelledRounds = 0
    private let blockUntilCancelled: Bool

    init(blockUntilCancelled: Bool = false) {
        self.blockUntilCancelled = blockUntilCancelled
    }

    func pollDue(_ settings: FeedList, now: Date) async throws -> PollRound {
        starts += 1
        if blockUntilCancelled {
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                cancelledRounds += 1
                throw CancellationError()
            }
        }
        rounds.append(settings)
        return PollRound(
            feeds: settings.urls.count, polled: settings.urls.count, failing: 0, newItems: 0,
            nextDue: now.addingTimeInterval(3600))
    }

    func waitForRounds(_ count: Int) async -> [FeedList] {
        let deadline = Date().addingTimeInterval(10)
        while rounds.count < count, Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return rounds
    }

    func waitForStarts(_ count: Int) async -> Int {
        let deadline = Date().addingTimeInterval(10)
        while starts < count, Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return starts
    }

    func waitFor(_ predicate: (FeedList) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while !rounds.contains(where: predicate), Date() < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return rounds.contains(where: predicate)
    }
}
