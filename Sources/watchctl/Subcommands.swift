import ArgumentParser

extension WatchCtl {
    /// Every subcommand, in the order `watchctl --help` lists them.
    static let allSubcommands: [any ParsableCommand.Type] = [
        Parse.self,
        Fetch.self,
        Poll.self,
        Tag.self,
        CheckConfig.self,
        RemoveFeed.self,
        ListFeeds.self,
        Items.self,
        Search.self,
        ExportOPML.self,
        Digest.self,
    ]
}
