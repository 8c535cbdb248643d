import FeedParser
import Foundation

// libFuzzer entry point: any bytes as a fetched document, with and without a declared charset
// and a base URL, as the poll path hands them over. A crash, a leak or an ASan report is a bug;
// a thrown FeedParseError is the expected answer to garbage.
private let parser = FeedParser()
private let base = URL(string: "https://www.centre-inffo.fr/flux/")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeedParser(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let data = Data(bytes: start, count: count)
    // The first byte picks the charset the "server" announced, so the transcoding paths are fuzzed too.
    let charsets: [String?] = [nil, "utf-8", "iso-8859-1", "windows-1252", "utf-16", "x-unknown"]
    let charset = count > 0 ? charsets[Int(start[0]) % charsets.count] : nil
    if let feed = try? parser.parse(data, baseURL: base, charset: charset) {
        _ = FeedJSON.encode(feed)
    }
    return 0
}

// SwiftPM links an executable's main under another name, so libFuzzer's own main() is never
// used: this top-level code hands the command line to libFuzzer's driver instead.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var arguments = CommandLine.argc
var vector = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &vector, fuzzFeedParser))
