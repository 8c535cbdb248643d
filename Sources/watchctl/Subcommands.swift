import ArgumentParser

extension WatchCtl {
    /// Every subcommand, in the order `watchctl --help` lists them.
    static let allSubcommands: [any ParsableCommand.Type] = [
        Init.self,
        Parse.self,
        Fetch.self,
        AddFeed.self,
        RemoveFeed.self,
        Poll.self,
        Status.self,
        ImportOPML.self,
        ExportOPML.self,
        Retag.self,
        Tag.self,
        CheckConfig.self,
        ListFeeds.self,
        Items.self,
        Search.self,
        Digest.self,
        Daemon.self,
        Follow.self,
        Audit.self,
    ]
}
