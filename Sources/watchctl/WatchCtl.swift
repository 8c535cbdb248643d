import ArgumentParser
import Foundation
import RegWatch

/// `watchctl`, the one command of regwatch.
///
/// `main()` is the single place where errors become a line on stderr and an exit
/// status: 0 on success, 1 on a runtime failure, 2 on bad usage or bad input.
@main
struct WatchCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watchctl",
        abstract: "Regulatory watch for French vocational training: feeds in, Monday digest out.",
        discussion: """
            regwatch polls RSS/Atom sources, stores and tags every item (CPF, Qualiopi, IA, \
            neurodiversité, and your own topics) and writes the Monday 15-minute digest.

            Config lookup: --config, else $REGWATCH_CONFIG, else ./feeds.toml, else /etc/regwatch/feeds.toml.
            """,
        version: RegWatchVersion.current,
        subcommands: WatchCtl.allSubcommands
    )

    /// `--config FILE` before the subcommand name (`watchctl --config F poll`); subcommands
    /// declare the same group, so it is also accepted after the name.
    @OptionGroup var global: GlobalOptions

    /// Parses the command line, sets up logging and runs the subcommand. Nonisolated, so the
    /// command value lives in this task alone and is never sent across isolation domains.
    nonisolated private static func parseAndRun() async throws {
        var command = try parseAsRoot()
        try LogBootstrap.bootstrap(
            commandLevel: (command as? any LogLevelConfigurable)?.logging.logLevel,
            environment: LogBootstrap.environment())
        if var asyncCommand = command as? AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    }

    static func main() async {
        // libcurl runs with CURLOPT_NOSIGNAL, so a peer closing a socket mid-write would
        // otherwise kill the process with SIGPIPE instead of failing that one transfer.
        signal(SIGPIPE, SIG_IGN)
        do {
            try await parseAndRun()
        } catch {
            let (status, message, toStdout) = ExitStatus.of(error, for: self)
            if !message.isEmpty {
                if toStdout {
                    print(message)
                } else {
                    FileHandle.standardError.write(Data((message + "\n").utf8))
                }
            }
            Foundation.exit(status)
        }
    }
}
