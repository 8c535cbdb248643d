import ArgumentParser
import Foundation
import RegWatch

/// `--config FILE`, shared by every subcommand that reads feeds.toml (`@OptionGroup var global: GlobalOptions`).
///
/// Lookup order (docs/cli.md): `--config`, else `$REGWATCH_CONFIG`, else `./feeds.toml`, else
/// `/etc/regwatch/feeds.toml`. Relative paths inside the file resolve against its folder.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The feeds.toml to use (default: $REGWATCH_CONFIG, else ./feeds.toml, else /etc/regwatch/feeds.toml).",
            valueName: "FILE"))
    var config: String?

    /// The config file this run uses.
    func configurationFile() throws -> URL {
        // With --config the environment is not consulted: not building it (a dictionary of every
        // variable) is worth its line in a search.
        if let config, !config.isEmpty { return try Configuration.locate(explicit: config, environment: [:]) }
        return try Configuration.locate(explicit: config)
    }

    /// The loaded configuration; a missing or invalid file becomes a one-line error, exit 2.
    func loadConfiguration() throws -> Configuration {
        try Configuration.load(from: configurationFile())
    }
}

extension GlobalOptions {
    /// The database the configuration names, created and migrated if needed.
    ///
    /// - Parameter oneConnection: for a command that runs one query: see ``AppDatabase/open(at:oneConnection:)``.
    func openDatabase(_ configuration: Configuration, oneConnection: Bool = false) throws -> AppDatabase {
        try AppDatabase.open(at: configuration.storage.database, oneConnection: oneConnection)
    }
}
