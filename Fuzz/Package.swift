// swift-tools-version:6.0
//
// libFuzzer targets for regwatch (docs/reliability.md). Not part of the root package, so
// `make test` never builds them; build and run with ./fuzz.sh (or `make fuzz` at the root):
//
//     cd Fuzz && swift build -c debug -Xswiftc -sanitize=fuzzer,address
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name (`regwatch`, or a worktree's name), so
// the manifest reads it instead of hard-coding it.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let package = Package(
    name: "regwatch-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzFeedParser",
            dependencies: [.product(name: "FeedParser", package: rootIdentity)]),
        .executableTarget(
            name: "FuzzFeedDate",
            dependencies: [.product(name: "FeedParser", package: rootIdentity)]),
        .executableTarget(
            name: "FuzzConfiguration",
            dependencies: [.product(name: "RegWatch", package: rootIdentity)]),
    ],
    swiftLanguageModes: [.v6]
)
