import Foundation
import TestSupport

/// What a watchctl test stands on: a fresh folder, a loopback HTTP server, and a feeds.toml in
/// that folder that lets watchctl fetch from the server; ``run(_:config:environment:stdin:)``
/// runs the real binary on that file.
///
/// A test class makes one in `setUpWithError` and calls ``remove()`` in `tearDown`:
///
/// ```swift
/// fixture = try WatchctlFixture(prefix: "watchctl-follow", environment: ["LC_ALL": "fr_FR.UTF-8"])
/// fixture.server.route(path: "/inffo.xml", document: Data(Self.feed.utf8))
/// try fixture.writeConfig("[[feeds]]\nurl = \"\(fixture.url("/inffo.xml"))\"")
/// XCTAssertEqual(try fixture.run(["poll"]).status, 0)
/// ```
final class WatchctlFixture: Sendable {
    /// The server the feeds are served from, on 127.0.0.1.
    let server: LoopbackHTTPServer
    /// The folder feeds.toml, the database and anything else the test writes go in.
    let directory: TemporaryDirectory
    /// Variables every run adds to the child's environment (a locale), before the run's own.
    let environment: [String: String]
    /// Whether runs start in ``directory`` rather than in the test's working directory.
    let runsInDirectory: Bool

    /// Makes the folder (named `prefix-…`) and starts the server; writes no feeds.toml yet.
    ///
    /// - Parameters:
    ///   - prefix: the start of the folder's name, to tell the tests' folders apart.
    ///   - environment: variables every run adds (`["LC_ALL": "fr_FR.UTF-8"]`).
    ///   - runsInDirectory: whether runs start in the folder (`watchctl` then writes relative
    ///     paths there, and finds feeds.toml there without `--config`).
    init(prefix: String = "regwatch-test", environment: [String: String] = [:], runsInDirectory: Bool = false)
        throws
    {
        directory = try TemporaryDirectory(prefix: prefix)
        do {
            server = try LoopbackHTTPServer()
        } catch {
            directory.remove()
            throw error
        }
        self.environment = environment
        self.runsInDirectory = runsInDirectory
    }

    /// Stops the server and deletes the folder.
    func remove() {
        server.stop()
        directory.remove()
    }

    /// The feeds.toml runs use unless they name another: `feeds.toml` in ``directory``.
    var config: URL { directory.file("feeds.toml") }

    /// The URL of `name` in ``directory``.
    func file(_ name: String) -> URL { directory.file(name) }

    /// The absolute URL of `path` on ``server``, as feeds.toml and the output name it.
    func url(_ path: String) -> String { server.url(for: path).absoluteString }

    /// A feeds.toml that may fetch from the loopback server: a `[fetch]` table with
    /// `allow_private_networks = true` (127.0.0.1 is private, which the shipped default refuses)
    /// and `fetch`'s keys, then `tables`.
    ///
    /// - Parameters:
    ///   - tables: the rest of the file (`[[feeds]]`, `[storage]`, `[[topics]]`…).
    ///   - fetch: more keys of the `[fetch]` table, one a line (`concurrency = 4`).
    static func feedsFile(_ tables: String = "", fetch: String = "") -> String {
        var text = "[fetch]\nallow_private_networks = true   # the test server is on 127.0.0.1\n"
        if !fetch.isEmpty { text += fetch + "\n" }
        return tables.isEmpty ? text : text + "\n" + tables + "\n"
    }

    /// Writes ``feedsFile(_:fetch:)`` of `tables` and `fetch` to `name` in ``directory`` and
    /// returns its URL (``config`` for the default name).
    @discardableResult
    func writeConfig(_ tables: String = "", fetch: String = "", to name: String = "feeds.toml") throws -> URL {
        try directory.write(Self.feedsFile(tables, fetch: fetch), to: name)
    }

    /// Runs `watchctl --config CONFIG ARGUMENTS` and waits for it to exit.
    ///
    /// - Parameters:
    ///   - arguments: the command line after `--config CONFIG`.
    ///   - config: the feeds.toml to run on; ``config`` when `nil`.
    ///   - environment: variables added after ``environment`` (they win over it).
    ///   - stdin: bytes written to the child's standard input, then closed.
    func run(
        _ arguments: [String], config: URL? = nil, environment: [String: String] = [:], stdin: Data? = nil
    ) throws -> Watchctl.Result {
        try Watchctl.run(
            ["--config", (config ?? self.config).path] + arguments,
            environment: self.environment.merging(environment) { _, run in run },
            currentDirectory: runsInDirectory ? directory.url : nil, stdin: stdin)
    }

    /// Starts `watchctl --config CONFIG ARGUMENTS` without waiting for it, its output discarded
    /// (a poll to kill, or to run beside other commands).
    func start(_ arguments: [String]) throws -> Process {
        try Watchctl.start(
            ["--config", config.path] + arguments, environment: environment,
            currentDirectory: runsInDirectory ? directory.url : nil)
    }
}
