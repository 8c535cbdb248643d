import Transfer

extension Fetcher.Configuration {
    /// The fetcher's limits from feeds.toml's `[fetch]`, with regwatch's User-Agent.
    public init(_ fetch: Configuration.Fetch) {
        self.init(
            concurrency: fetch.concurrency,
            perHost: fetch.perHost,
            timeout: fetch.timeout,
            maxBytes: fetch.maxBytes.bytes,
            allowPrivateNetworks: fetch.allowPrivateNetworks,
            userAgent: RegWatchVersion.userAgent)
    }
}
