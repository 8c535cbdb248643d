import ArgumentParser
import Foundation
import RegWatch

/// `watchctl remove-feed URL`: take a feed out of feeds.toml; its stored items stay.
struct RemoveFeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove-feed",
        abstract: "Remove a feed from feeds.toml (its stored items stay searchable).",
        discussion: """
            The URL is compared like add-feed compares it: a trailing slash or the case of the \
            scheme and host do not matter. Only the feed's [[feeds]] table is removed; comments \
            and every other line of feeds.toml stay as they are. To stop polling a feed but keep \
            it listed, set `enabled = false` in its table instead.

            Example:
              watchctl remove-feed https://sydologie.com/feed
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The feed URL as listed in feeds.toml.")
    var url: String

    func run() async throws {
        guard let feedURL = FeedURL(url) else {
            throw InputError(Messages.current.notHTTP("remove-feed", url))
        }
        let file = try global.configurationFile()
        let removed = try FeedsFile(file: file).remove(url: feedURL)
        print(Messages.current.removed(removed.rawValue, from: file.path))
    }
}
