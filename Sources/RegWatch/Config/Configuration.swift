import Foundation

/// Everything feeds.toml says, typed and with the defaults of docs/cli.md filled in.
///
/// Load it with ``load(from:)``; every relative path in it is already resolved against the
/// folder of the config file, and every topic id a feed names is known.
///
/// ```swift
/// let config = try Configuration.load(from: URL(fileURLWithPath: "feeds.toml"))
/// let db = try AppDatabase.open(at: config.storage.database)
/// ```
public struct Configuration: Sendable, Equatable {
    /// The file this configuration was read from (`nil` when parsed from a string in tests).
    public var file: URL?
    /// `[storage]`.
    public var storage: Storage
    /// `[fetch]`.
    public var fetch: Fetch
    /// `[digest]`.
    public var digest: Digest
    /// `[email]`: `nil` when the section is absent (sending is then impossible, writing is not).
    public var email: Email?
    /// The topics, resolved: the built-in four (overridden key by key by `[[topics]]` tables
    /// with the same id), then the new ids in file order.
    public var topics: [Topic]
    /// The `[[feeds]]` tables in file order, the disabled ones included.
    public var feeds: [FeedEntry]
    /// The `[[deliver]]` tables in file order (see ``deliveryTargets`` for `[email]` as a target).
    public var deliver: [DeliveryTarget] = []

    /// Creates a configuration; every argument defaults to what an empty feeds.toml gives.
    public init(
        file: URL? = nil,
        storage: Storage = Storage(),
        fetch: Fetch = Fetch(),
        digest: Digest = Digest(),
        email: Email? = nil,
        topics: [Topic] = Topic.builtIn,
        feeds: [FeedEntry] = []
    ) {
        self.file = file
        self.storage = storage
        self.fetch = fetch
        self.digest = digest
        self.email = email
        self.topics = topics
        self.feeds = feeds
    }

    /// The feeds to poll: those not switched off with `enabled = false`.
    public var enabledFeeds: [FeedEntry] { feeds.filter(\.enabled) }

    /// The topic with this id, if the configuration knows it.
    public func topic(_ id: TopicID) -> Topic? { topics.first { $0.id == id } }

    /// The folder relative paths are resolved against: the config file's folder.
    public var baseDirectory: URL {
        file?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    }
}

extension Configuration {
    /// `[storage]`: where the database lives.
    public struct Storage: Sendable, Equatable {
        /// `database`: the SQLite file. Default `state/regwatch.sqlite` beside feeds.toml.
        public var database: URL

        /// The default is relative to the current directory; ``Configuration/load(from:)``
        /// resolves it against the config file's folder.
        public init(database: URL = URL(fileURLWithPath: "state/regwatch.sqlite")) {
            self.database = database
        }
    }

    /// `[fetch]`: how politely and how hard to poll.
    public struct Fetch: Sendable, Equatable {
        /// `concurrency`: transfers in flight at once. Default 16.
        public var concurrency: Int
        /// `per_host`: transfers in flight to one host. Default 2.
        public var perHost: Int
        /// `timeout`: the whole transfer, connection included. Default 30 s.
        public var timeout: Duration
        /// `max_bytes`: a response (decompressed) larger than this is refused. Default 10 MiB.
        public var maxBytes: ByteSize
        /// `default_interval`: time between two polls of a feed without its own `interval`. Default 1 h.
        public var defaultInterval: Duration
        /// `allow_private_networks`: loopback, RFC 1918 and link-local addresses are refused
        /// unless true (a feed URL must not reach into the LAN). Default false.
        public var allowPrivateNetworks: Bool

        /// The defaults of docs/cli.md.
        public init(
            concurrency: Int = 16, perHost: Int = 2, timeout: Duration = .seconds(30),
            maxBytes: ByteSize = .mebibytes(10), defaultInterval: Duration = .seconds(3600),
            allowPrivateNetworks: Bool = false
        ) {
            self.concurrency = concurrency
            self.perHost = perHost
            self.timeout = timeout
            self.maxBytes = maxBytes
            self.defaultInterval = defaultInterval
            self.allowPrivateNetworks = allowPrivateNetworks
        }
    }

    /// The language the digest is written in.
    public enum Language: String, Sendable, Equatable, CaseIterable {
        /// French, the default.
        case fr
        /// English.
        case en
    }

    /// `[digest]`: the Monday digest.
    public struct Digest: Sendable, Equatable {
        /// `time_zone`: where weeks start and end. Default Europe/Paris.
        public var timeZone: TimeZone
        /// `reading_minutes`: the reading budget. Default 15.
        public var readingMinutes: Int
        /// `words_per_minute`: reading speed used to fit the budget. Default 230.
        public var wordsPerMinute: Int
        /// `language`: `fr` (default) or `en`.
        public var language: Language
        /// `output_dir`: where digests are written. Default `digests` beside feeds.toml.
        public var outputDirectory: URL

        /// The defaults of docs/cli.md.
        public init(
            timeZone: TimeZone = TimeZone(identifier: "Europe/Paris")!,
            readingMinutes: Int = 15, wordsPerMinute: Int = 230, language: Language = .fr,
            outputDirectory: URL = URL(fileURLWithPath: "digests", isDirectory: true)
        ) {
            self.timeZone = timeZone
            self.readingMinutes = readingMinutes
            self.wordsPerMinute = wordsPerMinute
            self.language = language
            self.outputDirectory = outputDirectory
        }
    }

    /// `[email]`: where `digest --send` sends. The SMTP password never lives here
    /// (`$REGWATCH_SMTP_PASSWORD`).
    public struct Email: Sendable, Equatable {
        /// `from`: the sender address.
        public var from: String
        /// `to`: the recipients, at least one.
        public var to: [String]
        /// `smtp_url`: `smtp://host:port` (STARTTLS when offered) or `smtps://host:port`.
        public var smtpURL: URL

        /// Creates an email section.
        public init(from: String, to: [String], smtpURL: URL) {
            self.from = from
            self.to = to
            self.smtpURL = smtpURL
        }
    }
}

/// One `[[feeds]]` table.
public struct FeedEntry: Sendable, Equatable {
    /// `url`: the feed itself (not the site's home page).
    public var url: FeedURL
    /// `title`: shown instead of the feed's own title when set (a feed or a change watch; for a
    /// page, `title` is the recipe's XPath and this stays `nil`). See ``displayName``.
    public var title: String?
    /// `name`: the source's display name, for every kind. On a feed or a change watch it means
    /// what `title` means (feeds.toml refuses both on one entry); it is a page's only display name.
    public var name: String?
    /// `topics`: topics this source is known to cover; the tagger boosts them.
    public var topics: [TopicID]
    /// `interval`: time between two polls; `nil` means `[fetch] default_interval`.
    public var interval: Duration?
    /// `weight`: how much the digest ranking trusts this source; official sources > 1. Default 1.0.
    public var weight: Double
    /// `enabled`: `false` keeps the entry (and its stored items) without polling it. Default true.
    public var enabled: Bool
    /// `kind`: a feed (default), a listing page (`items`, `title`, `link`, `date`, `summary`)
    /// or a watched page (`region`, `ignore`). For a page, `title` is the recipe's XPath, not
    /// a display title.
    public var kind: SourceKind = .feed

    /// Creates a feed entry with the defaults of feeds.toml.
    public init(
        url: FeedURL, title: String? = nil, name: String? = nil, topics: [TopicID] = [], interval: Duration? = nil,
        weight: Double = 1.0, enabled: Bool = true
    ) {
        self.url = url
        self.title = title
        self.name = name
        self.topics = topics
        self.interval = interval
        self.weight = weight
        self.enabled = enabled
    }
}

extension FeedEntry {
    /// The name people see for this source, as configured: `name`, else a feed's or a change
    /// watch's `title`; `nil` when feeds.toml gives none, and the source's own title (as last
    /// stored), else its URL, stands in. `status`, `list-feeds`, `items`, the digest, the audit
    /// and the OPML export all name a source by it.
    public var displayName: String? { name ?? title }
}
