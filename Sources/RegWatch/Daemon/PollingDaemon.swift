import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The long-running poller that `watchctl daemon` runs under systemd: a `Service` whose run loop
/// ticks, reloads feeds.toml when it changes (or on SIGHUP), polls whatever is due, and keeps
/// systemd informed (`READY=1`, `STATUS=`, `WATCHDOG=1`, `STOPPING=1`).
///
/// Graceful shutdown (SIGTERM/SIGINT through `ServiceGroup`) cancels the round in flight: the
/// work starts no new transfer, abandons the ones in flight and returns with every finished
/// feed committed; the loop then ends and `run()` returns.
///
/// Time is injected: `clock` paces the ticks and the watchdog, `now` dates the rounds.
public struct PollingDaemon<Work: PollingWork, C: Clock, Reloads: AsyncSequence & Sendable>: Service
where C.Duration == Duration, Reloads.Element: Sendable {
    /// How often the daemon looks around.
    public struct Options: Sendable {
        /// How often feeds.toml is checked and due feeds are looked for. Default 1 s.
        public var tick: Duration = .seconds(1)
        /// How long to wait before trying again after a round failed as a whole (database
        /// unavailable, disk full). Default 30 s.
        public var retryAfterFailedRound: Duration = .seconds(30)
        /// The language of the `STATUS=` line. Default: the process's locale, as for watchctl.
        public var language: HumanLanguage = .current

        /// The defaults.
        public init() {}
    }

    private let work: Work
    private let initialSettings: Work.Settings
    private let initialWatcher: ConfigWatcher<Work.Settings>
    private let notifier: SystemdNotifier
    private let reloadRequests: Reloads
    private let options: Options
    private let clock: C
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// Creates the daemon.
    ///
    /// - Parameters:
    ///   - work: what polls the feeds.
    ///   - watcher: the watcher of feeds.toml, as `ConfigWatcher.start` returned it.
    ///   - settings: the configuration `ConfigWatcher.start` loaded.
    ///   - notifier: systemd's notification socket (a no-op outside systemd).
    ///   - reloadRequests: one element per reload request — `UnixSignalsSequence(trapping: .sighup)`
    ///     under systemd; each forces a reload, whatever the element.
    ///   - options: tick and retry periods.
    ///   - clock: paces ticks and watchdog pings.
    ///   - now: the wall-clock time that feeds' due dates are compared with.
    ///   - logger: where the daemon says what it does.
    public init(
        work: Work,
        watcher: ConfigWatcher<Work.Settings>,
        settings: Work.Settings,
        notifier: SystemdNotifier,
        reloadRequests: Reloads,
        options: Options = Options(),
        clock: C,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger
    ) {
        self.work = work
        self.initialWatcher = watcher
        self.initialSettings = settings
        self.notifier = notifier
        self.reloadRequests = reloadRequests
        self.options = options
        self.clock = clock
        self.now = now
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        let hangup = HangupFlag()
        send(.ready, .status("configuration loaded, first poll starting"))
        logger.notice("regwatch daemon started", metadata: ["config.file": "\(initialWatcher.file.path)"])

        await withDiscardingTaskGroup { group in
            if let interval = notifier.watchdogInterval {
                group.addTask {
                    for await _ in Ticks(clock: clock, interval: interval).cancelOnGracefulShutdown() {
                        send(.watchdog)
                    }
                }
            }
            group.addTask {
                do {
                    for try await _ in reloadRequests.cancelOnGracefulShutdown() {
                        logger.notice("reload requested by SIGHUP")
                        hangup.raise()
                    }
                } catch {
                    logger.error("reload requests stopped", metadata: ["reload.error": "\(error)"])
                }
            }

            var loop = Loop(daemon: self, watcher: initialWatcher, settings: initialSettings)
            await loop.step(hangup: hangup)
            for await _ in Ticks(clock: clock, interval: options.tick).cancelOnGracefulShutdown() {
                await loop.step(hangup: hangup)
            }
            group.cancelAll()
        }

        send(.stopping, .status("stopping"))
        logger.notice("regwatch daemon stopped")
    }

    /// Sends to systemd; a lost notification is logged, never fatal.
    fileprivate func send(_ messages: SystemdNotifier.Message...) {
        do {
            try notifier.notify(messages)
        } catch {
            logger.warning("systemd notification failed", metadata: ["notify.error": "\(error)"])
        }
    }

    /// The state of the run loop, owned by the loop alone.
    private struct Loop {
        let daemon: PollingDaemon
        var watcher: ConfigWatcher<Work.Settings>
        var settings: Work.Settings
        /// When to poll next: now at start and after a reload; nil when no feed is enabled.
        var nextPoll: Date? = .distantPast
        var lastRound: PollRound?
        var configProblem: Wording?
        var lastStatus: String?

        init(daemon: PollingDaemon, watcher: ConfigWatcher<Work.Settings>, settings: Work.Settings) {
            self.daemon = daemon
            self.watcher = watcher
            self.settings = settings
        }

        mutating func step(hangup: HangupFlag) async {
            let logger = daemon.logger
            let forced = hangup.take()
            switch watcher.check(force: forced) {
            case .unchanged:
                break
            case .reloaded(let newSettings):
                settings = newSettings
                configProblem = nil
                nextPoll = .distantPast
                logger.notice(
                    "configuration reloaded",
                    metadata: [
                        "config.file": "\(watcher.file.path)", "config.trigger": "\(forced ? "SIGHUP" : "file change")",
                    ])
            case .rejected(let error):
                // Every problem with its file:line, one log line each, as check-config lists them.
                let problems = (error as? ConfigurationError)?.problems.map(\.wording) ?? [.of(error)]
                configProblem = problems.first
                for problem in problems.map(\.english) {
                    logger.error(
                        "configuration rejected, the previous one stays in force",
                        metadata: [
                            "config.file": "\(watcher.file.path)", "config.error": "\(problem)",
                            "config.trigger": "\(forced ? "SIGHUP" : "file change")",
                        ])
                }
            }

            let start = daemon.now()
            if let due = nextPoll, due <= start, !Task.isShuttingDownGracefully {
                await poll(at: start)
            }
            updateStatus()
        }

        private mutating func poll(at start: Date) async {
            let logger = daemon.logger
            let work = daemon.work
            let settings = settings
            do {
                let round = try await cancelWhenGracefulShutdown {
                    try await work.pollDue(settings, now: start)
                }
                lastRound = round
                nextPoll = round.nextDue
                if round.polled > 0 {
                    logger.debug(
                        "poll round finished",
                        metadata: [
                            "poll.feeds": "\(round.polled)", "poll.failing": "\(round.failing)",
                            "poll.new_items": "\(round.newItems)",
                            "poll.ms": "\(Int(daemon.now().timeIntervalSince(start) * 1000))",
                        ])
                }
            } catch is CancellationError {
                logger.notice("poll round abandoned for shutdown")
            } catch {
                let (seconds, attoseconds) = daemon.options.retryAfterFailedRound.components
                nextPoll = start.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
                logger.error("poll round failed", metadata: ["poll.error": "\(error)"])
            }
        }

        private mutating func updateStatus() {
            let language = daemon.options.language
            var status =
                lastRound?.statusLine(now: daemon.now(), language: language) ?? Wording.daemonStarting.text(language)
            if let configProblem {
                status += Wording.configEditRejected(configProblem).text(language)
            }
            guard status != lastStatus else { return }
            lastStatus = status
            daemon.send(.status(status))
        }
    }
}

/// Set by the SIGHUP task, taken by the run loop.
private final class HangupFlag: Sendable {
    private let raised = Mutex(false)

    func raise() {
        raised.withLock { $0 = true }
    }

    /// Whether a SIGHUP came since the last call.
    func take() -> Bool {
        raised.withLock { value in
            defer { value = false }
            return value
        }
    }
}

/// An element every `interval` of `clock`, until the task is cancelled.
struct Ticks<C: Clock>: AsyncSequence, Sendable where C.Duration == Duration {
    typealias Element = Void
    let clock: C
    let interval: Duration

    struct AsyncIterator: AsyncIteratorProtocol {
        let clock: C
        let interval: Duration

        mutating func next() async -> Void? {
            do {
                try await clock.sleep(for: interval)
                return ()
            } catch {
                return nil
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(clock: clock, interval: interval)
    }
}
