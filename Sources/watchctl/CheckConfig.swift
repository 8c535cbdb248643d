import ArgumentParser
import Foundation
import RegWatch

/// `watchctl check-config`: validate feeds.toml and list every problem with its line.
struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate feeds.toml and print what is wrong, with line numbers.",
        discussion: """
            Every problem is printed on stderr, one per line, as FILE:LINE: message, and the \
            exit status is 2. A valid file gets a one-line summary on stdout and exit status 0.

            Example:
              watchctl --config /etc/regwatch/feeds.toml check-config
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let file = try global.configurationFile()
        let configuration: Configuration
        do {
            configuration = try Configuration.load(from: file)
        } catch let error as ConfigurationError {
            let lines = error.problems.map { "watchctl: " + Messages.current.line($0.wording) }
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(ExitStatus.badInput)
        }
        // A delivery target whose secret is not set fails every Monday: say so now.
        let missing = configuration.missingDeliverySecrets()
        if !missing.isEmpty {
            FileHandle.standardError.write(
                Data((missing.map { "watchctl: " + Messages.current.line($0) }.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(ExitStatus.badInput)
        }
        let enabled = configuration.enabledFeeds.count
        let disabled = configuration.feeds.count - enabled
        print(
            Messages.current.configOK(
                file: file.path, feeds: configuration.feeds.count, disabled: disabled,
                topics: configuration.topics.map(\.id.rawValue), database: configuration.storage.database.path,
                targets: configuration.deliveryTargets.map { "\($0.name) (\($0.type))" }))
    }
}
