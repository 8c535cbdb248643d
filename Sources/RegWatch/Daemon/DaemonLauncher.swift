import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Wires what `watchctl daemon` runs, in the order that makes failures clear:
/// load feeds.toml (a bad file is exit 2 before anything starts), take the state folder's lock
/// (a second daemon is exit 1), build the polling work (opens the database), trap SIGHUP, then
/// run the `PollingDaemon` in a `ServiceGroup` that turns SIGTERM and SIGINT into a graceful
/// shutdown. Returns when the daemon has stopped; the lock is released with the process.
public enum DaemonLauncher {
    /// Runs the daemon until SIGTERM or SIGINT.
    ///
    /// - Parameters:
    ///   - configFile: feeds.toml, as located by the command line.
    ///   - environment: where `NOTIFY_SOCKET` and `WATCHDOG_USEC` come from.
    ///   - options: tick and retry periods.
    ///   - logger: the daemon's logger.
    ///   - makeWork: builds the polling work for the configuration first loaded (opens the
    ///     database named by `[storage] database`).
    /// - Throws: `ConfigurationError` (exit 2), `StateLockError` (exit 1), or what `makeWork` throws.
    public static func run<Work: PollingWork>(
        configFile: URL,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        options: PollingDaemon<Work, ContinuousClock, UnixSignalsSequence>.Options = .init(),
        logger: Logger,
        makeWork: (Configuration) throws -> Work
    ) async throws where Work.Settings == Configuration {
        let (watcher, configuration) = try ConfigWatcher.start(file: configFile) { file in
            try Configuration.load(from: file)
        }
        let lock = try StateLock(besideDatabase: configuration.storage.database)
        let work = try makeWork(configuration)
        // Trapped before READY=1: from then on systemd may send SIGHUP, whose default action kills.
        let hangups = await UnixSignalsSequence(trapping: .sighup)

        let daemon = PollingDaemon(
            work: work, watcher: watcher, settings: configuration,
            notifier: SystemdNotifier(environment: environment),
            reloadRequests: hangups, options: options, clock: ContinuousClock(), logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [daemon], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        withExtendedLifetime(lock) {}
    }
}
