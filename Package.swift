// swift-tools-version:6.0
//
// regwatch — a regulatory-watch feed aggregator for French vocational training.
// The module boundaries are the architecture: only FeedParser imports CLibXML2,
// only Transfer imports CCurl, RegWatch knows nothing of C, watchctl is thin.
import PackageDescription

// How watchctl is linked (docs/performance.md, "Start-up and resident memory"). A poll, a search
// or `--version` maps the executable's pages in 64 KiB runs (the kernel's fault-around), so what
// stays resident is every run that holds one executed function: with the functions in link order
// that was 15 MB of the 21 MB of code for a one-feed poll. With lld:
// - the functions that commands run (`link/watchctl.order`, written by `bench/link-order.sh`)
//   are placed first and together, so they fill few runs;
// - relative relocations are packed (DT_RELR, glibc ≥ 2.36): a 2.2 MB table that the loader
//   read at every start becomes 38 KB;
// - the application's 14 000 symbols are not exported (the static runtime's `-export-dynamic`):
//   nothing loads watchctl as a library or looks its symbols up.
let linkOrder = Context.packageDirectory + "/link/watchctl.order"
let watchctlLinking: [LinkerSetting] = [
    .unsafeFlags(
        [
            "-use-ld=lld",
            "-Xlinker", "--no-export-dynamic",
            "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
            "-Xlinker", "--symbol-ordering-file=\(linkOrder)",
            "-Xlinker", "--no-warn-symbol-ordering",
        ],
        .when(platforms: [.linux])
    )
]

let package = Package(
    name: "regwatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "watchctl", targets: ["watchctl"]),
        .library(name: "RegWatch", targets: ["RegWatch"]),
        .library(name: "FeedParser", targets: ["FeedParser"]),
        .library(name: "Transfer", targets: ["Transfer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C at the edges: a module map and a shim header each.
        // libcurl, loaded on first use (see include/CCurl.h): needs libcurl4-openssl-dev's headers.
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),

        // libxml2 → Feed / Item values. No I/O.
        .target(name: "FeedParser", dependencies: ["CLibXML2"]),

        // libcurl transfers: concurrent HTTP fetching, SMTP sending.
        .target(name: "Transfer", dependencies: ["CCurl"]),

        // What the Store needs from SQLite in C: one C-variadic call Swift cannot make
        // (sqlite3_db_config), the search's FTS5 rank function (regwatch_bm25, a C callback),
        // the tokenizer the full-text index's regwatch_stem wraps (regwatch_unicode61) and the
        // VFS that writes the write-ahead log in runs (a table of C callbacks).
        .target(name: "CSQLiteConnection", linkerSettings: [.linkedLibrary("sqlite3")]),

        // The application: Config, Store, Poll, Tag, Digest, Daemon.
        .target(
            name: "RegWatch",
            dependencies: [
                "FeedParser",
                "Transfer",
                "CSQLiteConnection",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the one file control GRDB has no setting for (persistent WAL).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            // `watchctl init` writes the shipped feeds.toml: Config/Starter/feeds.toml links to the
            // repository's, compiled in as bytes (StarterConfiguration), so there is one list of sources.
            resources: [.embedInCode("Config/Starter/feeds.toml")]
        ),

        // The one executable: thin commands over RegWatch.
        .executableTarget(
            name: "watchctl",
            dependencies: [
                "RegWatch",
                "FeedParser",
                "Transfer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: watchctlLinking
        ),

        // Retrains the learned layer of the built-in topics from the labelled sets and
        // regenerates Sources/RegWatch/Tag/TopicModelWeights.swift (docs/topics.md).
        .executableTarget(name: "train-topic-model", dependencies: ["RegWatch"]),

        // Loopback servers (HTTP, SMTP helpers) and fixture helpers shared by the tests.
        .target(name: "TestSupport", path: "Tests/TestSupport"),

        .testTarget(
            name: "FeedParserTests",
            dependencies: ["FeedParser", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TransferTests",
            dependencies: ["Transfer", "TestSupport"]
        ),
        .testTarget(
            name: "RegWatchTests",
            dependencies: [
                "RegWatch", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "watchctlTests",
            dependencies: ["TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
