import Foundation

/// Every byte watchctl prints on stdout goes through here.
///
/// A reader that stops early (`watchctl items --json | head -c 5`) closes the pipe; with
/// SIGPIPE ignored (see `WatchCtl.main`) the next write fails with `EPIPE`. Every Unix tool
/// then stops quietly, so watchctl exits 0 at once: nobody is left to read the rest, and
/// `FileHandle.write` would have turned the error into a crash.
enum StandardOutput {
    /// Writes `bytes` in full, retrying short and interrupted writes.
    static func write(_ bytes: UnsafeRawBufferPointer) {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = Foundation.write(STDOUT_FILENO, next, left)
            if written > 0 {
                next += written
                left -= written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                readerWentAway()
            }
        }
    }

    /// Writes the bytes of `data`.
    static func write(_ data: Data) {
        data.withUnsafeBytes { write($0) }
    }

    /// Writes the bytes of `bytes`.
    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Writes `text` as UTF-8.
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes `text` and a line feed, as `print` does, but through the same checked path.
    static func writeLine(_ text: String) {
        write(text + "\n")
    }

    /// stdout is closed (EPIPE) or unusable: what was written was all anyone would read.
    private static func readerWentAway() -> Never {
        // Whatever `print` buffered is dropped: it would only fail the same way.
        Foundation._exit(0)
    }
}
