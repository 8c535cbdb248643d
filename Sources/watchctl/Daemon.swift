import ArgumentParser
import Foundation
import Logging
import RegWatch

/// `watchctl daemon`: the long-running poller that systemd starts.
struct Daemon: AsyncParsableCommand, LogLevelConfigurable {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Poll every enabled feed at its interval until stopped (what regwatch.service runs).",
        discussion: """
            Each feed is polled at its interval (its own, else [fetch] default_interval), never \
            sooner than the server's freshness hints, and backed off while it fails. feeds.toml is \
            reloaded when it changes and on SIGHUP; an edit that does not validate is logged with \
            its line and the previous config kept. SIGTERM or SIGINT stops the daemon within 10 s.

            Under systemd (Type=notify) it reports READY=1, a STATUS= line and watchdog pings on \
            $NOTIFY_SOCKET. Logs go to stderr, one line per event. Only one daemon may run per \
            state folder (the lock file daemon.lock beside the database).

            Example: watchctl --config /etc/regwatch/feeds.toml daemon --log-level debug
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let file = try global.configurationFile()
        let logger = Logger(label: "regwatch")
        try await DaemonLauncher.run(configFile: file, logger: logger) { configuration in
            ScheduledPolling(database: try AppDatabase.open(at: configuration.storage.database), logger: logger)
        }
    }
}
