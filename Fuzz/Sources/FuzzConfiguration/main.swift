import Foundation
import RegWatch

// libFuzzer entry point: any bytes as the text of feeds.toml. Either a Configuration or a
// ConfigurationError whose every line is one line (it goes to stderr as is); never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfiguration(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        _ = try Configuration.parse(text, file: URL(fileURLWithPath: "/etc/regwatch/feeds.toml"))
    } catch {
        _ = String(describing: error)
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
exit(LLVMFuzzerRunDriver(&arguments, &vector, fuzzConfiguration))
