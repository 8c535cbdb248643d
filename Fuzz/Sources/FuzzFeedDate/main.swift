import FeedParser
import Foundation

// libFuzzer entry point: any bytes, decoded leniently as feeds' dates are, through the
// RFC 822 / ISO 8601 scanner. A parsed date must be a finite instant.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeedDate(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    if let date = FeedDate.parse(text) {
        precondition(
            date.timeIntervalSince1970.isFinite,
            "FeedDate.parse returned a non-finite date for \(text.debugDescription)")
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
exit(LLVMFuzzerRunDriver(&arguments, &vector, fuzzFeedDate))
