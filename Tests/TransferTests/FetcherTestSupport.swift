import Foundation
import TestSupport
import Transfer
import XCTest

/// A feed shaped like the ones regwatch follows (Centre Inffo's actualités).
let centreInffoFeed = """
    <?xml version="1.0" encoding="UTF-8"?>
    <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
    <channel>
    <title>Centre Inffo – Actualités de la formation</title>
    <link>https://www.centre-inffo.fr/</link>
    <description>L'actualité de la formation professionnelle et de l'apprentissage</description>
    <language>fr-FR</language>
    <item>
    <title>CPF : le reste à charge de 100 € s'applique désormais aux formations certifiantes</title>
    <link>https://www.centre-inffo.fr/site-droit-formation/cpf-reste-a-charge</link>
    <guid isPermaLink="false">https://www.centre-inffo.fr/?p=190201</guid>
    <pubDate>Wed, 03 Dec 2025 08:00:00 +0100</pubDate>
    <description>Le décret du 2 décembre précise la participation forfaitaire du titulaire du compte personnel de formation.</description>
    </item>
    <item>
    <title>Qualiopi : ce qui change pour l'audit de surveillance en 2026</title>
    <link>https://www.centre-inffo.fr/site-droit-formation/qualiopi-audit-2026</link>
    <guid isPermaLink="false">https://www.centre-inffo.fr/?p=190188</guid>
    <pubDate>Tue, 02 Dec 2025 10:30:00 +0100</pubDate>
    <description>Le référentiel national qualité évolue : indicateurs 22 à 26, sous-traitance, handicap.</description>
    </item>
    </channel>
    </rss>
    """

extension Fetcher.Configuration {
    /// The tests' configuration: loopback allowed, short limits so failures come quickly.
    static func loopback(
        concurrency: Int = 16, perHost: Int = 2, timeout: Duration = .seconds(10),
        lowSpeedLimit: Int = 100, lowSpeedTime: Duration = .seconds(15),
        maxBytes: Int = 10 * 1024 * 1024, resolve: [Fetcher.HostResolution] = []
    ) -> Fetcher.Configuration {
        Fetcher.Configuration(
            concurrency: concurrency, perHost: perHost, connectTimeout: .seconds(5), timeout: timeout,
            lowSpeedLimit: lowSpeedLimit, lowSpeedTime: lowSpeedTime, maxBytes: maxBytes,
            allowPrivateNetworks: true, userAgent: "regwatch/0.1.0 (+https://github.com/regwatch/regwatch)",
            resolve: resolve)
    }
}

/// Runs a Debian command-line tool (gzip, brotli) as a filter over `input`.
func filter(_ input: Data, through executable: String, _ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    // Write on another thread: a large input would fill the pipe while the tool's output fills the other.
    let writer = stdin.fileHandleForWriting
    DispatchQueue.global().async {
        writer.write(input)
        try? writer.close()
    }
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw LoopbackServerError(description: "\(executable) exited \(process.terminationStatus)")
    }
    return output
}

/// `XCTUnwrap` for the failure side: the error of a fetch expected to fail.
func fetchError(
    _ fetcher: Fetcher, _ request: FetchRequest, file: StaticString = #filePath, line: UInt = #line
) async throws -> TransferError {
    switch await fetcher.result(for: request) {
    case .success(let response):
        XCTFail("expected a failure, got HTTP \(response.status)", file: file, line: line)
        throw LoopbackServerError(description: "unexpected success")
    case .failure(let error):
        return error
    }
}
